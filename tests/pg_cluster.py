"""A throwaway PostgreSQL cluster for the tests and the benchmarks.

``initdb`` refuses to run as root, and CI runs as root: then the cluster is created
and run as the ``postgres`` system user (made when missing), in a temporary folder
that user owns. The server listens on 127.0.0.1 at a free port and on a Unix socket
in that folder, with ``fsync`` on (the crash tests rely on it), and trusts local
connections: the superuser is ``ct``, the database ``ct``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BINARIES = ("initdb", "pg_ctl", "postgres")
ENABLE_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) are not on PATH; install "
    "PostgreSQL 15 (Debian: apt-get install postgresql-15, then put "
    "/usr/lib/postgresql/15/bin on PATH) to run these tests; CT_REQUIRE_POSTGRES=1 "
    "makes their absence a failure"
)


def missing_binaries() -> list[str]:
    """The server programs not found on PATH."""
    return [name for name in BINARIES if shutil.which(name) is None]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One PostgreSQL server in a temporary folder; :meth:`stop` removes it all."""

    SUPERUSER = "ct"
    DATABASE = "ct"

    def __init__(self, *, standby_of: Cluster | None = None) -> None:
        """A new cluster, or with ``standby_of`` a hot standby (a read replica) of that
        running cluster: its base backup, streaming from it, read-only."""
        self.root = Path(tempfile.mkdtemp(prefix="ct-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            _ensure_postgres_user()
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o755)
        if standby_of is not None:
            primary = standby_of
            # -R writes standby.signal and the primary's address: it starts as a
            # hot standby. initdb's default pg_hba.conf trusts local replication.
            self._run(
                "pg_basebackup",
                "-D",
                str(self.data),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                self.SUPERUSER,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",  # checkpoint now, not spread over minutes
            )
            self.start()
            return
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        self.start()
        self.psql_create_database()

    @property
    def url(self) -> str:
        """The superuser's URL to the test database."""
        return self.url_for(self.SUPERUSER)

    def url_for(self, user: str, password: str | None = None) -> str:
        """A URL to the test database as ``user``."""
        who = user if password is None else f"{user}:{password}"
        return f"postgresql://{who}@127.0.0.1:{self.port}/{self.DATABASE}"

    def _run(self, *args: str) -> None:
        command = list(args)
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            msg = f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}\n{log}"
            raise RuntimeError(msg)

    def start(self) -> None:
        """Start the server (again) and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=on "
            "-c max_connections=200"
        )
        data, log = str(self.data), str(self.log)
        self._run("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` (clean) or ``immediate`` (as if it crashed)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def psql_create_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(
                    f"postgresql://{self.SUPERUSER}@127.0.0.1:{self.port}/postgres",
                    autocommit=True,
                ) as conn:
                    conn.execute(f"CREATE DATABASE {self.DATABASE}")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def destroy(self) -> None:
        """Stop the server if it runs and remove its folder."""
        with contextlib.suppress(RuntimeError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _ensure_postgres_user() -> None:
    done = subprocess.run(["id", "-u", "postgres"], capture_output=True, check=False)
    if done.returncode != 0:
        made = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/bin/false", "postgres"],
            capture_output=True,
            check=False,
        )
        # Two test workers may both find no user and both add it: one of them wins.
        again = subprocess.run(["id", "-u", "postgres"], capture_output=True, check=False)
        if again.returncode != 0:
            msg = f"could not add the postgres user: {made.stderr.decode(errors='replace')}"
            raise RuntimeError(msg)
