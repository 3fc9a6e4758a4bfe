"""The workers of `plan-assistant serve` under one supervising process: N forks of the loaded
service, each replaced the moment it dies, none outliving the supervisor.

Each worker is a fork of the supervisor taken after it has imported the app (and preloaded the
index when it could), so a replacement takes connections within a fraction of a second instead of
importing and loading for seconds, and the workers share the index's memory pages with the
supervisor. A death is seen on the worker's process sentinel at once (no polling interval, no
health-check timeout to wait out).

A worker exits when its supervisor dies, however it dies (SIGKILL too), so no orphan keeps the port:
on Linux the kernel sends it SIGTERM (prctl PR_SET_PDEATHSIG); everywhere, as a fallback, a thread
notices that its parent has changed and stops it.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from multiprocessing.connection import wait

log = logging.getLogger("plan_assistant.service")

FORK = multiprocessing.get_context("fork")  # run.py checks that the platform has it
STARTUP_FAILURE = 3  # uvicorn's exit code when the app cannot start: every replacement would fail alike
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
WATCH_EVERY_S = 0.5
STOP_WAIT_S = 15.0  # uvicorn's graceful shutdown (10 s) and a margin, then SIGKILL
QUICK_DEATH_S = 1.0  # a worker that exits on its own this soon is crashing: wait before the next


def die_with_parent(parent: int) -> None:
    """Make this process (a forked worker) stop when `parent` stops being its parent."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # no prctl in this libc: the thread below does it
            pass
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os._exit(1)
    threading.Thread(target=watch_parent, args=(parent,), name="watch-supervisor", daemon=True).start()


def watch_parent(parent: int, every: float = WATCH_EVERY_S, grace: float = STOP_WAIT_S) -> None:
    """When the parent is gone (this process was handed to init), stop as SIGTERM would, and for
    good after `grace` seconds."""
    while os.getppid() == parent:
        time.sleep(every)
    log.warning("worker %s: the supervisor is gone, stopping", os.getpid())
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(grace)
    os._exit(1)


def run_worker(config, sockets: list[socket.socket], supervisor: int) -> None:  # in the forked child
    die_with_parent(supervisor)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # the supervisor's handlers are not ours
        signal.signal(sig, signal.SIG_DFL)
    import uvicorn

    uvicorn.Server(config).run(sockets=sockets)


class Supervisor:
    """Run `workers` forks serving `config`'s app on `sockets` until SIGINT or SIGTERM.

    `config` is a uvicorn.Config whose app has been loaded (`config.load()`) in this process."""

    def __init__(self, config, sockets: list[socket.socket], workers: int):
        self.config, self.sockets, self.count = config, sockets, workers
        self.workers: list = []
        self.started: dict[int, float] = {}
        self.stopping = False

    def start_worker(self):
        process = FORK.Process(target=run_worker, args=(self.config, self.sockets, os.getpid()),
                               name="plan-assistant-worker")
        process.start()
        self.started[process.pid] = time.monotonic()
        return process

    def stop(self, *_) -> None:
        self.stopping = True

    def run(self) -> int:
        """Supervise until told to stop; 0, or 1 when a worker could not start its app."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self.stop)
        code = 0
        self.workers = [self.start_worker() for _ in range(self.count)]
        try:
            while not self.stopping:
                dead = set(wait([w.sentinel for w in self.workers], timeout=WATCH_EVERY_S))
                for i, worker in enumerate(self.workers):
                    if worker.sentinel not in dead or self.stopping:
                        continue
                    worker.join()
                    lived = time.monotonic() - self.started.pop(worker.pid, 0.0)
                    if worker.exitcode == STARTUP_FAILURE:
                        log.error("worker %s could not start the service: stopping", worker.pid)
                        self.stopping, code = True, 1
                        break
                    log.warning("worker %s died (exit code %s): starting another", worker.pid, worker.exitcode)
                    if worker.exitcode >= 0 and lived < QUICK_DEATH_S:
                        time.sleep(QUICK_DEATH_S)  # it exited by itself at once: a crash loop, slowed down
                    self.workers[i] = self.start_worker()
        finally:
            self.stop_all()
        return code

    def stop_all(self) -> None:
        """SIGTERM to every worker (uvicorn stops taking connections and finishes the open ones),
        SIGKILL to any still running after STOP_WAIT_S."""
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
        deadline = time.monotonic() + STOP_WAIT_S
        for worker in self.workers:
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                worker.kill()
                worker.join()
