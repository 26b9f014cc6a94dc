"""A QGIS plugin repository from the built zip: check the zip as plugins.qgis.org checks an upload,
then write plugins.xml beside it (what QGIS's plugin manager reads from a repository URL).

    python scripts/plugin_repo.py dist/lmvw_plugin-0.1.0.zip [--url https://gis.gemeente.nl/qgis/]

`--url` is the address the folder with the zip and plugins.xml is served from; without it the
folder's own file:// address (a repository on a network share or the local disk). Exit 1 with
the problems when the zip fails a check (nothing is written then).

The checks are the official repository's upload validator (QGIS-Django plugins/validator.py) less
what needs the network: size at most 25 MB, a readable zip without absolute paths, '..', compiled
files (.pyc/.pyo), __pycache__, .git or __MACOSX; one top-level folder that is a Python identifier
with __init__.py, metadata.txt (section [general] with name, description, version,
qgisMinimumVersion, author, email, about, tracker, repository) and LICENSE; an author without '/';
tracker, repository and homepage as absolute http(s) URLs, not the template's placeholders; the
icon named in metadata.txt present in the zip.
"""
from __future__ import annotations

import argparse
import configparser
import datetime as _dt
import io
import os
import pathlib
import shutil
import sys
import zipfile
from typing import Dict, List, Tuple
from urllib.parse import urljoin, urlparse
from xml.sax.saxutils import escape, quoteattr

MAX_SIZE = 25_000_000
REQUIRED = ("name", "description", "version", "qgisMinimumVersion", "author", "email", "about", "tracker",
            "repository")
PLACEHOLDER_URLS = {"tracker": "http://bugs", "repository": "http://repo", "homepage": "http://homepage"}
FORBIDDEN_DIRS = ("__MACOSX", ".git", "__pycache__")


def read_metadata(zf: zipfile.ZipFile, package: str) -> Dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_file(io.StringIO(zf.read(f"{package}/metadata.txt").decode("utf-8")))
    return dict(parser.items("general")) if parser.has_section("general") else {}


def check_upload(path: str) -> Tuple[List[str], Dict[str, str], str]:
    """(problems, metadata, package folder) of a plugin zip, by the official repository's rules."""
    problems: List[str] = []
    size = os.path.getsize(path)
    if size > MAX_SIZE:
        problems.append(f"the zip is {size / 1e6:.1f} MB; plugins.qgis.org takes at most {MAX_SIZE / 1e6:.0f} MB")
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        return problems + [f"not a readable zip ({e})"], {}, ""
    with zf:
        names = zf.namelist()
        for name in names:
            parts = name.split("/")
            if ".." in name or name.startswith("/"):
                problems.append(f"{name}: paths may not contain '..' or start with '/'")
            if name.endswith((".pyc", ".pyo")) or ".pyc" in name:
                problems.append(f"{name}: compiled Python files are refused")
            for d in FORBIDDEN_DIRS:
                if d in parts[:-1] or (d in parts and name.endswith("/")):
                    problems.append(f"{name}: a {d} folder is refused")
        bad = zf.testzip()
        if bad:
            problems.append(f"{bad}: damaged in the zip (CRC error)")
        tops = sorted({n.split("/")[0] for n in names})
        if not names or "/" not in names[0]:
            return problems + ["the zip has no plugin folder at its top"], {}, ""
        package = names[0].split("/")[0]
        if len(tops) > 1:
            problems.append(f"the zip has {len(tops)} top-level entries ({', '.join(tops)}): one plugin folder only")
        if not package.isidentifier():
            problems.append(f"the top-level folder {package!r} is not a Python identifier")
        for required in ("__init__.py", "metadata.txt", "LICENSE"):
            if f"{package}/{required}" not in names:
                problems.append(f"{package}/{required} is missing")
        if f"{package}/metadata.txt" not in names:
            return problems, {}, package
        try:
            meta = read_metadata(zf, package)
        except (UnicodeDecodeError, configparser.Error) as e:
            return problems + [f"metadata.txt cannot be read ({e})"], {}, package
        if not meta:
            problems.append("metadata.txt has no [general] section")
        missing = [k for k in REQUIRED if not meta.get(k, "").strip()]
        if missing:
            problems.append("metadata.txt lacks " + ", ".join(missing))
        if "/" in meta.get("author", ""):
            problems.append("the author may not contain '/'")
        for key in ("tracker", "repository", "homepage"):
            url = meta.get(key, "").strip()
            if key == "homepage" and not url:
                continue
            parsed = urlparse(url)
            if url == PLACEHOLDER_URLS[key] or parsed.scheme not in ("http", "https") or not parsed.netloc:
                problems.append(f"metadata.txt {key}={url!r} is not a web address (http or https)")
        icon = meta.get("icon", "").strip()
        if not icon:
            problems.append("metadata.txt names no icon")
        elif f"{package}/{icon[2:] if icon.startswith('./') else icon}" not in names:
            problems.append(f"the icon {icon} is not in the zip")
    return problems, meta, package


def plugins_xml(meta: Dict[str, str], package: str, zip_name: str, base_url: str, icon_url: str = "",
                when: str = "") -> str:
    """plugins.xml in the shape plugins.qgis.org serves. QGIS takes the plugin's id from
    <file_name> up to its first '.', so that is '<package>.<version>.zip' whatever the zip is called."""
    when = when or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")

    def cdata(text: str) -> str:
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"

    version = meta["version"].strip()
    fields = [
        ("description", cdata(meta.get("description", "").strip())),
        ("about", cdata(meta.get("about", "").strip())),
        ("version", escape(version)),
        ("trusted", "False"),
        ("qgis_minimum_version", escape(meta.get("qgisMinimumVersion", "").strip())),
        ("qgis_maximum_version", escape(meta.get("qgisMaximumVersion", "").strip())),
        ("homepage", cdata(meta.get("homepage", "").strip())),
        ("file_name", escape(f"{package}.{version}.zip")),
        ("icon", escape(icon_url)),
        ("author_name", cdata(meta.get("author", "").strip())),
        ("author_email", escape(meta.get("email", "").strip())),
        ("download_url", escape(urljoin(base_url, zip_name))),
        ("uploaded_by", cdata(meta.get("author", "").strip())),
        ("create_date", when),
        ("update_date", when),
        ("experimental", "True" if meta.get("experimental", "").strip().lower() in ("true", "yes", "1") else "False"),
        ("deprecated", "True" if meta.get("deprecated", "").strip().lower() in ("true", "yes", "1") else "False"),
        ("tracker", cdata(meta.get("tracker", "").strip())),
        ("repository", cdata(meta.get("repository", "").strip())),
        ("tags", cdata(meta.get("tags", "").strip())),
        ("category", cdata(meta.get("category", "").strip())),
        ("changelog", cdata(meta.get("changelog", "").strip())),
        ("downloads", "0"),
        ("average_vote", "0"),
        ("rating_votes", "0"),
        ("external_dependencies", cdata(meta.get("external_deps", "").strip())),
        ("server", "True" if meta.get("server", "").strip().lower() in ("true", "yes", "1") else "False"),
        ("supports_qt6", "True" if meta.get("supportsQt6", "").strip().lower() in ("true", "yes", "1") else "False"),
    ]
    body = "\n".join(f"    <{k}>{v}</{k}>" for k, v in fields)
    return ("<?xml version='1.0' encoding='UTF-8'?>\n<plugins>\n"
            f"  <pyqgis_plugin name={quoteattr(meta['name'].strip())} version={quoteattr(version)}>\n"
            f"{body}\n  </pyqgis_plugin>\n</plugins>\n")


def write_repo(zip_path: str, base_url: str = "") -> str:
    """Check the zip and write plugins.xml (and the icon) beside it; returns plugins.xml's path.
    Raises SystemExit with the problems when the zip fails a check."""
    problems, meta, package = check_upload(zip_path)
    if problems:
        raise SystemExit("The zip would not pass the plugin repository's checks:\n  " + "\n  ".join(problems))
    folder = os.path.dirname(os.path.abspath(zip_path))
    base = base_url or pathlib.Path(folder).as_uri()
    if not base.endswith("/"):
        base += "/"
    icon = meta.get("icon", "").strip()
    icon_url = ""
    if icon:
        icon_name = f"{package}{os.path.splitext(icon)[1]}"
        with zipfile.ZipFile(zip_path) as zf, open(os.path.join(folder, icon_name), "wb") as out:
            shutil.copyfileobj(zf.open(f"{package}/{icon[2:] if icon.startswith('./') else icon}"), out)
        icon_url = urljoin(base, icon_name)
    xml = plugins_xml(meta, package, os.path.basename(zip_path), base, icon_url)
    target = os.path.join(folder, "plugins.xml")
    tmp = target + ".part"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(xml)
    os.replace(tmp, target)
    return target


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("zip", help="the plugin zip (make zip)")
    p.add_argument("--url", default="", help="address the zip's folder is served from (default: its file:// URL)")
    p.add_argument("--check", action="store_true", help="only check the zip, write nothing")
    args = p.parse_args(argv)
    if args.check:
        problems = check_upload(args.zip)[0]
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    try:
        print(write_repo(args.zip, args.url))
    except SystemExit as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
