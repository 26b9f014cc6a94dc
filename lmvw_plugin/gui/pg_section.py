"""*Nieuwe planlaag*'s choice between a GeoPackage and a PostGIS register (issue 12): an existing
QGIS PostgreSQL connection or a service of pg_service.conf, and a schema."""
from __future__ import annotations

import configparser
import os
import re
from typing import List, Optional, Tuple

from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QRadioButton, QWidget

from ..i18n import tr

SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
DEFAULT_SCHEMA = "woningbouwplannen"


def qgis_connections() -> List[Tuple[str, str]]:
    """(name, conninfo) of QGIS's saved PostgreSQL connections."""
    try:
        from qgis.core import QgsProviderRegistry
        md = QgsProviderRegistry.instance().providerMetadata("postgres")
        conns = md.connections(False) if md is not None else {}
    except Exception:  # noqa: BLE001 - no postgres provider in this QGIS: no connections to offer
        return []
    out = []
    for name, conn in sorted(conns.items()):
        from qgis.core import QgsDataSourceUri
        out.append((name, QgsDataSourceUri(conn.uri()).connectionInfo(True)))
    return out


def pg_services() -> List[str]:
    """The service names of the user's and the system's pg_service.conf (as libpq finds them)."""
    files = [os.environ.get("PGSERVICEFILE") or os.path.expanduser("~/.pg_service.conf")]
    sysconf = os.environ.get("PGSYSCONFDIR")
    files.append(os.path.join(sysconf, "pg_service.conf") if sysconf else "/etc/postgresql-common/pg_service.conf")
    names: List[str] = []
    for path in files:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeError):
            continue
        names += [s for s in parser.sections() if s not in names]
    return names


class PgSection:
    """Adds the 'GeoPackage / PostGIS' choice to a dialog's layout above `before` (a widget)."""

    def __init__(self, dialog: QWidget, layout, index: int, file_widgets=()):
        self.file_widgets = list(file_widgets)
        self.gpkg = QRadioButton(tr("GeoPackage (a file, for one officer)"), dialog)
        self.gpkg.setObjectName("LmvwTargetGpkg")
        self.pg = QRadioButton(tr("PostGIS (a database, for several colleagues at once)"), dialog)
        self.pg.setObjectName("LmvwTargetPg")
        self.gpkg.setChecked(True)
        self.box = QGroupBox(tr("PostGIS"), dialog)
        form = QFormLayout(self.box)
        self.connection = QComboBox(self.box)
        self.connection.setObjectName("LmvwPgConnection")
        for name, info in qgis_connections():
            self.connection.addItem(tr("Connection {}", name), "PG:" + info)
        for name in pg_services():
            self.connection.addItem(tr("Service {} (pg_service.conf)", name), f"PG:service={name}")
        self.schema = QLineEdit(DEFAULT_SCHEMA, self.box)
        self.schema.setObjectName("LmvwPgSchema")
        form.addRow(tr("Database"), self.connection)
        form.addRow(tr("Schema"), self.schema)
        hint = QLabel(tr("The schema gets the tables woningbouwplannen and fasering, with the database's checks; "
                         "form and style are stored in the database for every colleague."), self.box)
        hint.setWordWrap(True)
        form.addRow(hint)
        for k, w in enumerate((self.gpkg, self.pg, self.box)):
            layout.insertWidget(index + k, w)
        self.pg.toggled.connect(self._toggle)
        self._toggle(False)

    def _toggle(self, on: bool) -> None:
        self.box.setVisible(on)
        self.box.setEnabled(on)
        for w in self.file_widgets:
            w.setEnabled(not on)

    def chosen(self) -> bool:
        return self.pg.isChecked()

    def target(self) -> Tuple[Optional[Tuple[str, str]], str]:
        """((PG:"…", schema), '') or (None, the problem to show)."""
        source = self.connection.currentData()
        if not source:
            return None, tr("There is no PostgreSQL connection in QGIS and no service in pg_service.conf: add one "
                            "(Browser ▸ PostgreSQL ▸ New Connection) and open this dialog again.")
        schema = self.schema.text().strip()
        if not SCHEMA_RE.match(schema):
            return None, tr("'{}' is not a schema name the plugin uses: write lower-case letters, digits and _ "
                            "(starting with a letter), e.g. woningbouwplannen.", schema)
        return (source, schema), ""
