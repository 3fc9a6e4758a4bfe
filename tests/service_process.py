"""`plan-assistant serve` as a test runs it: a real process on a free loopback port (asked of the OS
with --port 0), its log in a file, stopped by its own pid at the end.

    with Service(tmp_path, index_dir, "--workers", "2") as svc:
        OpenAI(base_url=svc.url + "/v1", api_key="…")
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

PORT_LINE = re.compile(r"http://(127\.0\.0\.1|\[::1\]|localhost):(\d+)/v1")


def clean_env(index_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a service under test: no configuration of the machine running the tests, and
    the data folder (accounts, library) of the test session (conftest.py), never the machine's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAN_ASSISTANT_")}
    env |= {"PLAN_ASSISTANT_INDEX_DIR": str(index_dir), "NO_PROXY": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1",
            "PLAN_ASSISTANT_DATA_DIR": os.environ.get("PLAN_ASSISTANT_DATA_DIR") or str(Path(index_dir).parent / "data")}
    return env | extra


def worker_pids(parent: int) -> set[int]:
    """The worker processes of a supervisor: its children that are forks of it (the same command line;
    a child process that builds the index is started afresh, with another), zombies left out."""
    found = set()
    try:
        own = Path(f"/proc/{parent}/cmdline").read_bytes()
    except OSError:
        return found
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent and fields[0] != "Z" and cmdline == own:
            found.add(int(stat.parent.name))
    return found


class Service:
    def __init__(self, tmp: Path, index_dir: Path, *args: str, plan: str | None = None, **env: str):
        self.log_path = tmp / f"serve-{time.monotonic_ns()}.log"
        self.args = [sys.executable, "-m", "assistant", *(["--plan", plan] if plan else []), "serve",
                     "--port", "0", *args]
        self.env = clean_env(index_dir, **env)
        self.url = ""
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Service:
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.args, stdout=self._log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + 300
        while not self.url:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start:\n{self.log()}")
            m = PORT_LINE.search(self.log())
            self.url = f"http://{m.group(1)}:{m.group(2)}" if m else ""
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def health(self, timeout: float = 30) -> httpx.Response:
        return httpx.get(self.url + "/healthz", timeout=timeout)

    def wait_ready(self, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service stopped:\n{self.log()}")
            try:
                r = self.health()
                if r.status_code == 200:
                    return r.json()
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the service was not ready in {timeout}s:\n{self.log()}")

    def workers(self) -> set[int]:
        return worker_pids(self.process.pid)

    def __exit__(self, *exc) -> None:
        workers = self.workers()
        self.process.send_signal(signal.SIGTERM)  # uvicorn's supervisor stops its workers
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:  # a stuck supervisor: stop it and the workers it had
            self.process.kill()
            self.process.wait()
            for pid in workers:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._log.close()
