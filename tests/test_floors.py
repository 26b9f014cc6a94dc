"""A clean order of imports: every module imports only from its own floor or the floors below it, by
the order the README states (the sentence "Imports point down these floors"), and no two modules
import each other, directly or round about.

The import graph is read statically (ast): `import` and `from … import` anywhere in a file (inside
functions too) and `importlib.import_module` / `__import__` with a literal name; imports under
`if TYPE_CHECKING:` never run and are left out.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "lmvw_plugin"
README = ROOT / "README.md"
MARKER = "Imports point down these floors"


# ------------------------------------------------------------------------------------------------
# the order, as the README states it


def readme_floors(text: str) -> List[List[str]]:
    """The floors, lowest first, from the README's sentence that starts with MARKER: after its colon,
    backticked names separated by ← (a ← b: b imports a), names of one floor by /."""
    start = text.find(MARKER)
    assert start >= 0, f"README.md has no sentence starting with {MARKER!r}"
    paragraph = text[start:].split("\n\n", 1)[0]
    order = re.split(r"\.(?=\s|$)", paragraph.split(":", 1)[1], maxsplit=1)[0]     # up to the sentence's end
    floors = [re.findall(r"`([^`]+)`", part) for part in order.split("←")]
    assert all(floors) and len(floors) > 1, paragraph
    return floors


def unit_of(module: str) -> str:
    """The README's name of the part a module belongs to: `rules` for lmvw_plugin.rules.engine,
    `cli.py` for lmvw_plugin.cli, `__init__.py` for the package itself."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__.py"
    path = PLUGIN / parts[1]
    return parts[1] if path.is_dir() else parts[1] + ".py"


# ------------------------------------------------------------------------------------------------
# the import graph


def modules(pkg_dir: Path) -> Dict[str, Tuple[Path, bool]]:
    out = {}
    for path in sorted(pkg_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(pkg_dir.parent).with_suffix("").parts
        is_pkg = rel[-1] == "__init__"
        out[".".join(rel[:-1] if is_pkg else rel)] = (path, is_pkg)
    return out


def _type_checking(test) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(module: str, path: Path, is_pkg: bool, known: Set[str]) -> List[Tuple[str, int]]:
    """(imported module of the package, line) for every import in the file."""
    root = module.split(".")[0]
    package = module if is_pkg else module.rsplit(".", 1)[0]
    found: List[Tuple[str, int]] = []

    def resolve(name: str):
        parts = name.split(".")
        while parts:
            if ".".join(parts) in known:
                return ".".join(parts)
            parts.pop()
        return None

    def add(name: str, line: int, names=()):
        if name.split(".")[0] != root:
            return
        for n in names or [None]:
            target = f"{name}.{n}" if n and f"{name}.{n}" in known else resolve(name)
            if target and target != module:
                found.append((target, line))

    def relative(level: int, rest: str) -> str:
        parts = package.split(".")
        base = ".".join(parts[:len(parts) - (level - 1)])
        return f"{base}.{rest}" if rest else base

    def visit(node):
        if isinstance(node, ast.If) and _type_checking(node.test):
            for n in node.orelse:
                visit(n)
            return
        if isinstance(node, ast.Import):
            for a in node.names:
                add(a.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            name = relative(node.level, node.module or "") if node.level else (node.module or "")
            add(name, node.lineno, [a.name for a in node.names if a.name != "*"])
        elif isinstance(node, ast.Call):
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if fname in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                name = node.args[0].value
                if name.startswith("."):
                    level = len(name) - len(name.lstrip("."))
                    name = relative(level, name.lstrip("."))
                add(name, node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def graph(pkg_dir: Path) -> Tuple[Dict[str, Set[str]], Dict[Tuple[str, str], str]]:
    mods = modules(pkg_dir)
    edges: Dict[str, Set[str]] = {m: set() for m in mods}
    where: Dict[Tuple[str, str], str] = {}
    for mod, (path, is_pkg) in mods.items():
        for target, line in imports_of(mod, path, is_pkg, set(mods)):
            edges[mod].add(target)
            where.setdefault((mod, target), f"{path.relative_to(pkg_dir.parent)}:{line}")
    return edges, where


def upward(edges, where, floor_of) -> List[str]:
    return sorted(f"{where[(a, b)]}: {a} (floor {floor_of(a)}) imports {b} (floor {floor_of(b)})"
                  for a, targets in edges.items() for b in targets if floor_of(b) > floor_of(a))


def cycles(edges: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on: Set[str] = set()
    out: List[List[str]] = []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


# ------------------------------------------------------------------------------------------------
# the harness can fail


def test_finder_sees_every_kind_of_import(tmp_path):
    pkg = tmp_path / "lmvw_plugin"
    (pkg / "low").mkdir(parents=True)
    (pkg / "high").mkdir()
    for p in (pkg / "__init__.py", pkg / "low" / "__init__.py", pkg / "high" / "__init__.py"):
        p.write_text("", encoding="utf-8")
    (pkg / "high" / "view.py").write_text("from ..low import base\n", encoding="utf-8")
    (pkg / "low" / "base.py").write_text(
        "import importlib\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..high import view\n"
        "def f():\n    from ..high.view import x\n\ndef g():\n    importlib.import_module('lmvw_plugin.high')\n"
        "import lmvw_plugin.top\n", encoding="utf-8")
    (pkg / "top.py").write_text("from .low.base import f\n", encoding="utf-8")
    edges, where = graph(pkg)
    assert edges["lmvw_plugin.high.view"] == {"lmvw_plugin.low.base"}
    assert edges["lmvw_plugin.low.base"] == {"lmvw_plugin.high.view", "lmvw_plugin.high", "lmvw_plugin.top"}
    assert where[("lmvw_plugin.low.base", "lmvw_plugin.high.view")].endswith("base.py:6")
    floor = {"low": 0, "high": 1, "top": 2}

    def floor_of(m):
        return floor[m.split(".")[1]] if "." in m else 2
    found = upward(edges, where, floor_of)
    assert len(found) == 3 and all("lmvw_plugin.low.base (floor 0)" in f for f in found), found
    assert cycles(edges) == [["lmvw_plugin.high.view", "lmvw_plugin.low.base", "lmvw_plugin.top"]]


def test_readme_order_is_read():
    text = ("x\n\nImports point down these floors, lowest first:\n`a`/`b.py` ← `c`\n← `d.py`. Later text `e`.\n"
            "\nmore `f`")
    assert readme_floors(text) == [["a", "b.py"], ["c"], ["d.py"]]


# ------------------------------------------------------------------------------------------------
# the house


def _floors():
    floors = readme_floors(README.read_text(encoding="utf-8"))
    return {name: i for i, names in enumerate(floors) for name in names}


def test_every_part_of_the_plugin_has_a_floor_in_the_readme():
    floor = _floors()
    units = {unit_of(m) for m in modules(PLUGIN)}
    assert not units - set(floor), f"parts without a floor in README.md's order: {sorted(units - set(floor))}"
    assert not set(floor) - units, f"README.md's order names parts that do not exist: {sorted(set(floor) - units)}"
    # the pure layers and the QGIS side as design.md orders them
    assert floor["standard"] < floor["rules"] < floor["delivery"] < floor["layers"] < floor["gui"] < \
        floor["plugin.py"]
    assert floor["storage"] <= floor["delivery"] and floor["gui"] == floor["processing"]


def test_no_module_imports_from_a_floor_above_its_own():
    floor = _floors()
    edges, where = graph(PLUGIN)

    def floor_of(m):
        return floor[unit_of(m)]
    found = upward(edges, where, floor_of)
    assert not found, "imports that point up README.md's order:\n" + "\n".join(found)


def test_no_import_cycle():
    edges, _ = graph(PLUGIN)
    assert not cycles(edges), cycles(edges)


@pytest.mark.parametrize("name", ["common", "i18n"])
def test_the_lowest_floor_imports_nothing_of_the_plugin(name):
    edges, where = graph(PLUGIN)
    found = [where[(a, b)] + f" imports {b}" for a, targets in edges.items() if unit_of(a) == name
             for b in targets if unit_of(b) != name]
    assert not found, found
