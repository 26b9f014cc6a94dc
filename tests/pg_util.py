"""A throw-away PostgreSQL 15 + PostGIS 3 cluster for the tests (one per session).

The cluster lives in a temporary folder, listens only on a unix socket there (no TCP port),
trusts local connections and is stopped and removed at the end. As root, initdb and the server
run as the `postgres` user (PostgreSQL refuses to run as root)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from typing import Optional

PORT = 54329


def bindir() -> Optional[str]:
    """The folder with initdb/pg_ctl of a PostgreSQL that has PostGIS, or None."""
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        version = d.split("/")[-2]
        if os.path.exists(os.path.join(d, "initdb")) and glob.glob(
                f"/usr/share/postgresql/{version}/extension/postgis.control"):
            return d
    return None


def missing_reason() -> Optional[str]:
    if bindir() is None:
        return ("PostgreSQL with PostGIS is not installed (apt-get install postgresql-15 "
                "postgresql-15-postgis-3; `make setup` does this)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed (apt-get install python3-psycopg2)"
    return None


class Cluster:
    def __init__(self):
        self.bin = bindir()
        self.root = tempfile.mkdtemp(prefix="lmvw-pg-")
        os.chmod(self.root, 0o755)
        self.data = os.path.join(self.root, "data")
        self.sock = self.root
        self.user = None
        self._as = []
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self._as = ["runuser", "-u", self.user, "--"]

    def run(self, *cmd, check=True):
        return subprocess.run(self._as + list(cmd), check=check, capture_output=True, text=True)

    def start(self) -> "Cluster":
        self.run(os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        opts = (f"-c listen_addresses='' -c unix_socket_directories={self.sock} -c port={PORT} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 "
                "-c shared_buffers=64MB")
        self.run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-o", opts, "-l",
                 os.path.join(self.root, "log"), "-w", "-t", "60", "start")
        return self

    def dsn(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.sock} port={PORT} dbname={dbname} user={user}"

    def sql(self, statements, dbname: str = "postgres"):
        import psycopg2
        con = psycopg2.connect(self.dsn(dbname))
        con.autocommit = True
        try:
            with con.cursor() as cur:
                for s in ([statements] if isinstance(statements, str) else statements):
                    cur.execute(s)
                    if cur.description:
                        return cur.fetchall()
        finally:
            con.close()

    _n = 0

    def new_database(self, prefix: str = "t") -> str:
        """A fresh database with PostGIS; returns its conninfo."""
        Cluster._n += 1
        name = f"{prefix}{Cluster._n}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE template_postgis" if self._template else
                 f"CREATE DATABASE {name}")
        if not self._template:
            self.sql("CREATE EXTENSION IF NOT EXISTS postgis", name)
        return self.dsn(name)

    _template = False

    def make_template(self):
        self.sql("CREATE DATABASE template_postgis")
        self.sql("CREATE EXTENSION postgis", "template_postgis")
        self._template = True

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
