"""Translations: the compiled .qm loads and the interface is Dutch first, English otherwise."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from qgis.PyQt.QtCore import QCoreApplication

from lmvw_plugin import i18n

TS = os.path.join(os.path.dirname(i18n.__file__), "lmvw_nl.ts")


def test_qm_is_built_and_translates_a_known_string(qgis_app):
    assert i18n.qm_path("nl_NL") is not None, "run 'make transcompile'"
    translator = i18n.install_translator("nl_NL")
    try:
        assert translator is not None
        assert QCoreApplication.translate("@default", "New plan layer…") == "Nieuwe planlaag…"
        assert i18n.tr("{}: {}, {} (peildatum {})", i18n.n_plans(3), i18n.n_errors(1), i18n.n_warnings(2),
                       "2026-10-01") == "3 plannen: 1 fout, 2 waarschuwingen (peildatum 2026-10-01)"
        # Qt Designer strings live under the form's class name
        assert QCoreApplication.translate("ExportDialog", "Export delivery") == "Levering exporteren"
    finally:
        i18n.remove_translator()
    assert QCoreApplication.translate("@default", "New plan layer…") == "New plan layer…"


def test_language_follows_the_locale_with_fallback(qgis_app):
    assert i18n.language("nl_NL") == "nl" and i18n.language("nl") == "nl" and i18n.language("nl_BE") == "nl"
    assert i18n.language("en_US") == "en" and i18n.language("de_DE") == "en"
    assert i18n.install_translator("de_DE") is None          # English source strings, no translator
    assert i18n.qm_path("nl_BE") == i18n.qm_path("nl_NL")     # falls back from nl_BE to nl


def test_every_string_is_translated_with_the_same_placeholders():
    root = ET.parse(TS).getroot()
    import re
    unfinished, mismatched = [], []
    for msg in root.iter("message"):
        src = msg.findtext("source")
        tr = msg.find("translation")
        if tr.get("type") == "unfinished" or not (tr.text or "").strip():
            unfinished.append(src)
        elif sorted(re.findall(r"\{[^}]*\}", src)) != sorted(re.findall(r"\{[^}]*\}", tr.text)):
            mismatched.append(src)
    assert unfinished == [] and mismatched == []


def test_counts_are_singular_for_one_in_both_languages(qgis_app):
    i18n.install_translator("nl_NL")
    try:
        assert [i18n.n_plans(n) for n in (0, 1, 2)] == ["0 plannen", "1 plan", "2 plannen"]
        assert (i18n.n_errors(1), i18n.n_errors(3), i18n.n_warnings(1)) == ("1 fout", "3 fouten", "1 waarschuwing")
    finally:
        i18n.remove_translator()
    assert (i18n.n_plans(1), i18n.n_plans(2), i18n.n_errors(1)) == ("1 plan", "2 plans", "1 error")
    i18n.use_catalog("nl")                       # the command line, without Qt
    try:
        assert (i18n.n_plans(1), i18n.n_errors(1), i18n.n_warnings(4)) == ("1 plan", "1 fout", "4 waarschuwingen")
    finally:
        i18n._catalog = None


def test_qt_buttons_are_dutch_in_the_dutch_interface(qgis_app):
    """Qt's own texts (OK/Cancel, Yes/No of a question) come from Qt's translations, which QGIS
    does not always load: the plugin loads qtbase_nl then."""
    import pytest
    if not os.path.exists(os.path.join(i18n.qt_translations_dir(), "qtbase_nl.qm")):
        pytest.skip("Qt's translations are not installed (Debian: qttranslations5-l10n)")
    from qgis.PyQt.QtWidgets import QDialogButtonBox, QMessageBox
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"     # not loaded by pytest-qgis
    i18n.install_translator("nl_NL")
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuleren"
        question = QMessageBox(QMessageBox.Icon.Question, "t", "?",
                               QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        assert question.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Ja"
    finally:
        i18n.remove_translator()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_every_message_holds_one_source_and_one_translation():
    """Messages appended by several people at the end of a context can fuse in a merge (a message
    with two sources): Qt then drops the second one silently."""
    root = ET.parse(TS).getroot()
    fused = [[s.text for s in msg.findall("source")] for msg in root.iter("message")
             if len(msg.findall("source")) != 1 or len(msg.findall("translation")) != 1]
    assert fused == []
    for context in root.iter("context"):
        sources = [msg.findtext("source") for msg in context.iter("message")]
        assert len(sources) == len(set(sources)), context.findtext("name")
