"""Which form a plan layer carries: 'Formulieren toepassen' (and a new layer) stamps the layer with
the form's version, in a custom property that the default style in the GeoPackage and the project
keep. A plan layer added later with an older stamp, or none, is offered the current form."""
from __future__ import annotations

import hashlib
import json
from typing import Optional, Tuple

from ..messages import plugin_version
from ..standard import Standard

KEY = "lmvw_plugin/form_version"


def current(standard: Standard) -> str:
    """'<plugin version>+<digest of what the form is built from>' (fields, code lists, layout, rules)."""
    parts = {k: standard.data.get(k) for k in ("basisset", "fields", "codelists", "form", "rules")}
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{plugin_version()}+{digest[:12]}"


def stamp(layer, standard: Standard) -> None:
    layer.setCustomProperty(KEY, current(standard))


def stored(layer) -> str:
    return str(layer.customProperty(KEY, "") or "")


def _version(text: str) -> Tuple[int, ...]:
    out = []
    for part in text.split("+")[0].split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)


def outdated(layer, standard: Standard) -> Optional[str]:
    """None when the layer has this plugin's form (or a newer plugin's); else what it has ('' for
    no stamp: the form was never applied by this plugin, or by a version before the stamp)."""
    have = stored(layer)
    now = current(standard)
    if have == now or (have and _version(have) > _version(now)):
        return None
    return have
