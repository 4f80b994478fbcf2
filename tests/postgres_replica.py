"""A PostgreSQL primary and its streaming replica of the tests' own, on
free ports of 127.0.0.1: two clusters made with Debian's PostgreSQL
binaries (initdb, then pg_basebackup for the replica), run as the
`postgres` user under root (CI), otherwise as whoever runs the tests.
Under CI=true a missing binary is a failure, never a skip."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

HOST = "127.0.0.1"
DATABASE = "skranke"
# Ceilings for a busy machine, not measures.
START_SECONDS = 120


def postgres_binaries() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian's layout)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    return Path(found[-1]) if found else None


@dataclass
class ReplicatedPostgres:
    folder: Path
    binaries: Path
    primary_port: int
    replica_port: int

    def url(self, *, replica: bool = False) -> str:
        port = self.replica_port if replica else self.primary_port
        return f"postgres://postgres@{HOST}:{port}/{DATABASE}"

    def sql(self, statement: str, *, replica: bool = False) -> list[tuple[object, ...]]:
        port = self.replica_port if replica else self.primary_port
        with psycopg.connect(
            host=HOST, port=port, user="postgres", dbname=DATABASE, autocommit=True
        ) as connection:
            cursor = connection.execute(statement)
            return list(cursor.fetchall()) if cursor.description else []

    def pause_replay(self) -> None:
        self.sql("SELECT pg_wal_replay_pause()", replica=True)

    def resume_replay(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()", replica=True)

    def stop_replica(self) -> None:
        self._pg_ctl("replica", "stop", "-m", "fast")

    def start_replica(self) -> None:
        self._pg_ctl("replica", "start")

    def wait_for_replica(self) -> None:
        """Until the replica has replayed all the primary has written."""
        (written,) = self.sql("SELECT pg_current_wal_lsn()::text")[0]
        for _ in range(START_SECONDS * 10):
            (caught_up,) = self.sql(
                f"SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn", replica=True
            )[0]
            if caught_up:
                return
            time.sleep(0.1)
        raise TimeoutError("the replica did not catch up")

    # --- Making and running the clusters ----------------------------------------

    def make(self) -> None:
        primary = self.folder / "primary"
        self._as_postgres(
            self.binaries / "initdb",
            "-D",
            str(primary),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(self._settings(self.primary_port))
        with (primary / "pg_hba.conf").open("w") as hba:
            hba.write(
                "local all all trust\n"
                f"host all all {HOST}/32 trust\n"
                f"host replication all {HOST}/32 trust\n"
            )
        self._pg_ctl("primary", "start")
        self.sql_on_postgres(f"CREATE DATABASE {DATABASE}")
        self._as_postgres(
            self.binaries / "pg_basebackup",
            "-h",
            HOST,
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(self.folder / "replica"),
            "-R",  # a standby, following the primary
            "-X",
            "stream",
        )
        with (self.folder / "replica" / "postgresql.conf").open("a") as conf:
            conf.write(self._settings(self.replica_port))
        self._pg_ctl("replica", "start")

    def stop(self) -> None:
        for cluster in ("replica", "primary"):
            with contextlib.suppress(subprocess.CalledProcessError):
                self._pg_ctl(cluster, "stop", "-m", "immediate")

    def sql_on_postgres(self, statement: str) -> None:
        with psycopg.connect(
            host=HOST, port=self.primary_port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(statement)

    def _settings(self, port: int) -> str:
        return (
            f"\nport = {port}\nlisten_addresses = '{HOST}'\n"
            f"unix_socket_directories = '{self.folder}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
            # A test's cluster: nothing to keep across a crash.
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        )

    def _pg_ctl(self, cluster: str, *command: str) -> None:
        folder = self.folder / cluster
        self._as_postgres(
            self.binaries / "pg_ctl",
            "-D",
            str(folder),
            "-l",
            str(self.folder / f"{cluster}.log"),
            "-w",
            "-t",
            str(START_SECONDS),
            *command,
        )

    def _as_postgres(self, *command: object) -> None:
        words = [str(word) for word in command]
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root.
            words = ["runuser", "-u", "postgres", "--", *words]
        subprocess.run(words, check=True, capture_output=True, timeout=START_SECONDS)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def replica_unavailable() -> str:
    if postgres_binaries() is None:
        return "PostgreSQL's binaries are not installed (/usr/lib/postgresql/*/bin)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser is missing: PostgreSQL cannot be started as root"
    return ""


@pytest.fixture(scope="module")
def replicated_postgres() -> Iterator[ReplicatedPostgres]:
    """A primary and its replica, for the module's tests, stopped at its end."""
    reason = replica_unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    binaries = postgres_binaries()
    assert binaries is not None
    # Not under pytest's own temporary folder, which only its user may enter.
    folder = Path(tempfile.mkdtemp(prefix="skranke-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, user="postgres")
    servers = ReplicatedPostgres(
        folder=folder, binaries=binaries, primary_port=_free_port(), replica_port=_free_port()
    )
    try:
        servers.make()
        yield servers
    finally:
        servers.stop()
        shutil.rmtree(folder, ignore_errors=True)
