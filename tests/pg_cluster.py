"""A throwaway PostgreSQL cluster for a test session (Debian's `postgresql` package): initdb into a
temp folder, `pg_ctl start` on a free port of 127.0.0.1 with its socket in that folder, a fresh
database per test, `pg_ctl stop` and the folder removed at the end.

PostgreSQL refuses to run as root, so under root the cluster runs as the `postgres` user (which the
package makes), else as `nobody`. Its superuser has a password, so the URLs the tests use carry one
(what the records must never store or show). When PostgreSQL is not installed the tests that need it
are skipped, and failed instead under PLAN_ASSISTANT_REQUIRE_POSTGRES=1 (as in CI).

    cluster = Cluster.start()
    url = cluster.new_database()     # postgresql+psycopg://plan_test:…@127.0.0.1:PORT/t3
    cluster.stop()
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

REQUIRE = "PLAN_ASSISTANT_REQUIRE_POSTGRES"
SUPERUSER = "plan_test"


def bindir() -> Path | None:
    """Where initdb and pg_ctl are: Debian keeps them in /usr/lib/postgresql/VERSION/bin, off PATH."""
    found = shutil.which("pg_ctl")
    if found and (Path(found).resolve().parent / "initdb").exists():
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_as() -> str | None:
    """The user the server runs as: None (this one) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


class Cluster:
    def __init__(self, bin_dir: Path, root: Path, user: str | None):
        self.bin, self.root, self.user = bin_dir, root, user
        self.data, self.log = root / "data", root / "server.log"
        self.port = free_port()
        self.password = secrets.token_hex(12)
        self._count = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                               f"{self.log.read_text() if self.log.exists() else ''}")

    @classmethod
    def start(cls) -> Cluster:
        bin_dir = bindir()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL is not installed (apt-get install -y postgresql)")
        root = Path(tempfile.mkdtemp(prefix="plan-assistant-pg-"))
        user = run_as()
        cluster = cls(bin_dir, root, user)
        (root / "pw").write_text(cluster.password + "\n")
        if user:
            entry = pwd.getpwnam(user)
            for path in (root, root / "pw"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        try:
            cluster._run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, f"--pwfile={root / 'pw'}",
                         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync")
            options = (f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
            cluster._run("pg_ctl", "-D", str(cluster.data), "-l", str(cluster.log), "-w", "-t", "60",
                         "-o", options, "start")
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return cluster

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        return (f"postgresql+psycopg://{SUPERUSER}:{password or self.password}@127.0.0.1:{self.port}/{database}")

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, password=self.password,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`, which nobody may be connected to); its URL."""
        self._count += 1
        name = f"t{self._count}"
        self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_or_skip() -> Cluster:
    try:
        import psycopg  # noqa: F401

        return Cluster.start()
    except (ImportError, OSError, RuntimeError, subprocess.SubprocessError) as e:
        reason = f"no PostgreSQL for the tests: {e}"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{reason} (and {REQUIRE}=1)")
        pytest.skip(reason)
