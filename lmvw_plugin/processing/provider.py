"""The `lmvw` Processing provider (registered in initProcessing, so qgis_process sees it)."""
from __future__ import annotations

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..i18n import tr
from .algorithms import algorithms

ICON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "icon.svg")


class LmvwProvider(QgsProcessingProvider):
    def id(self):
        return "lmvw"

    def name(self):
        return tr("LMVW woningbouwplannen")

    def longName(self):
        return tr("LMVW woningbouwplannen (Basisset 2.0)")

    def icon(self):
        return QIcon(ICON)

    def loadAlgorithms(self):
        for alg in algorithms():
            self.addAlgorithm(alg)
