"""A real PostgreSQL for tests: Debian's server binaries, a cluster made by initdb in a temporary directory and
started by pg_ctl on a free loopback port, one fresh database per test. Run as the `postgres` user when the tests
run as root (initdb refuses root).

Fixtures (import them into a conftest): `postgres` (the session's server), `console_stores` and `console_target`
(parametrised: a SQLite file or a fresh PostgreSQL database, as `--db` takes them).
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), default=Path("/nonexistent"))
"""The newest server Debian's postgresql package installed."""
START_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One throwaway cluster; `database()` creates a new empty database and returns its URL."""

    def __init__(self, durable: bool = False) -> None:
        """`durable`: fsync as in production (benchmarks); tests run without it."""
        self.durable = durable
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL server binaries not found in {PG_BIN}: bash deploy/dev.sh installs "
                               "Debian's postgresql package")
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self._names = itertools.count(1)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *argv: str) -> None:
        command = list(argv)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=START_TIMEOUT_S)

    def start(self) -> PostgresServer:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   f"-c fsync={'on' if self.durable else 'off'} -c max_connections=200")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options,
                  "-w", "-t", str(START_TIMEOUT_S), "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A new empty database's URL."""
        import psycopg

        name = f"t{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def postgres():
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def console_stores(request, tmp_path):
    """For each backend, `store(name)`: where the console store called `name` lives, as `--db` takes it (a SQLite
    file in tmp_path, or a PostgreSQL database made for this test); the same name gives the same store."""
    made: dict[str, str] = {}

    def store(name: str = "console.db") -> str:
        if name not in made:
            made[name] = (str(tmp_path / name) if request.param == "sqlite"
                          else request.getfixturevalue("postgres").database())
        return made[name]

    store.backend = request.param
    return store


@pytest.fixture
def console_target(console_stores) -> str:
    """The test's console store, for each backend (see `console_stores`)."""
    return console_stores()


def query(c, sql: str, *params) -> list[tuple]:
    """Test-only: rows of `sql` written with `?` placeholders, on either backend (a SQLAlchemy connection)."""
    from sqlalchemy import text

    names = iter(range(len(params)))
    statement = text(re.sub(r"\?", lambda _match: f":p{next(names)}", sql))
    return [tuple(row) for row in c.execute(statement, {f"p{i}": value for i, value in enumerate(params)})]
