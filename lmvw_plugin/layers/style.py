"""Symbology and labels of the plan layer: categorised by planstatus.

Hard plans are solid greens, soft plans hatched oranges, 5A/5B dotted grey with a dashed outline;
vervallen (red cross-hatch) and gerealiseerd (blue) override the status so they stand out.
"""
from __future__ import annotations

from typing import Dict, Tuple

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ..i18n import QT_TRANSLATE_NOOP, translated
from ..standard import Standard, pick

CATEGORY_EXPRESSION = ("CASE WHEN coalesce(\"vervallen\", false) THEN 'vervallen' "
                       "WHEN coalesce(\"gerealiseerd\", false) THEN 'gerealiseerd' "
                       "ELSE \"planstatus\" END")
LABEL_EXPRESSION = "\"plannaam\" || '\\n' || coalesce(to_string(\"bruto_plancapaciteit\"), '?') || ' {unit}'"

# code: (fill colour, brush style, outline colour, outline style)
STYLE: Dict[str, Tuple[str, str, str, str]] = {
    "1A": ("#1b7837", "solid", "#0b3d1a", "solid"),
    "1B": ("#2f9e52", "solid", "#0b3d1a", "solid"),
    "2A": ("#5aae61", "solid", "#1b5e20", "solid"),
    "2B": ("#a6dba0", "solid", "#1b5e20", "solid"),
    "1C": ("#d95f02", "b_diagonal", "#a34700", "solid"),
    "2C": ("#e6862a", "b_diagonal", "#a34700", "solid"),
    "3": ("#f1a340", "f_diagonal", "#b35806", "solid"),
    "4A": ("#f6c96b", "f_diagonal", "#b35806", "solid"),
    "4B": ("#fee0b6", "horizontal", "#b35806", "solid"),
    "5A": ("#7f7f7f", "dense5", "#4d4d4d", "dash"),
    "5B": ("#b3b3b3", "dense6", "#4d4d4d", "dash"),
    "gerealiseerd": ("#2166ac", "solid", "#0d3a66", "solid"),
    "vervallen": ("#d73027", "diagonal_x", "#a50026", "dash"),
}

# the legend's texts: English source strings, their Dutch in the .ts file's context "Style"
EXTRA_LABELS = {"gerealiseerd": QT_TRANSLATE_NOOP("Style", "Completed"),
                "vervallen": QT_TRANSLATE_NOOP("Style", "Cancelled")}
GROUP_LABELS = {"hard": QT_TRANSLATE_NOOP("Style", "hard"), "soft": QT_TRANSLATE_NOOP("Style", "soft"),
                "internal": QT_TRANSLATE_NOOP("Style", "not delivered")}
NO_STATUS = QT_TRANSLATE_NOOP("Style", "no or unknown planning status")
DWELLINGS = QT_TRANSLATE_NOOP("Style", "dw.")            # the label's unit: "40 dw."


def _symbol(fill: str, brush: str, outline: str, outline_style: str, alpha: int = 190) -> QgsFillSymbol:
    c = QColor(fill)
    c.setAlpha(alpha)
    return QgsFillSymbol.createSimple({
        "color": ",".join(str(v) for v in (c.red(), c.green(), c.blue(), c.alpha())),
        "style": brush, "outline_color": outline, "outline_style": outline_style,
        "outline_width": "0.5", "outline_width_unit": "MM"})


def renderer(standard: Standard, lang: str) -> QgsCategorizedSymbolRenderer:
    cats = []
    for item in standard.codelists["planstatus"]:
        fill, brush, outline, ostyle = STYLE.get(item.code, ("#cccccc", "solid", "#333333", "solid"))
        group = translated(GROUP_LABELS[item.group], lang, "Style") if item.group in GROUP_LABELS else ""
        label = pick(item.label, lang) + (f" ({group})" if group else "")
        cats.append(QgsRendererCategory(item.code, _symbol(fill, brush, outline, ostyle), label))
    for key in ("gerealiseerd", "vervallen"):
        fill, brush, outline, ostyle = STYLE[key]
        cats.append(QgsRendererCategory(key, _symbol(fill, brush, outline, ostyle, 150),
                                        translated(EXTRA_LABELS[key], lang, "Style")))
    other = translated(NO_STATUS, lang, "Style")
    cats.append(QgsRendererCategory(None, _symbol("#ff00ff", "solid", "#ff00ff", "dot", 80), other))
    return QgsCategorizedSymbolRenderer(CATEGORY_EXPRESSION, cats)


def labeling(lang: str) -> QgsVectorLayerSimpleLabeling:
    s = QgsPalLayerSettings()
    s.fieldName = LABEL_EXPRESSION.format(unit=translated(DWELLINGS, lang, "Style"))
    s.isExpression = True
    s.placement = QgsPalLayerSettings.Placement.OverPoint
    fmt = QgsTextFormat()
    font = QFont()
    font.setPointSizeF(8.5)
    fmt.setFont(font)
    fmt.setSize(8.5)
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setSize(0.8)
    buf.setColor(QColor("white"))
    fmt.setBuffer(buf)
    s.setFormat(fmt)
    return QgsVectorLayerSimpleLabeling(s)


def apply_style(layer: QgsVectorLayer, standard: Standard, lang: str = "nl") -> None:
    layer.setRenderer(renderer(standard, lang))
    layer.setLabeling(labeling(lang))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()
