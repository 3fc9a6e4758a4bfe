"""Clients at once, one thread each, as the replica test and the replica benchmark
(scripts/load_replicas.py) run them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def run_clients(client: Callable[[int], object], clients: int, timeout: float) -> float:
    """client(n) for n in range(clients), all at once, each in a thread of its own waited for at most
    `timeout` seconds; the seconds from their start until the last ended."""
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return time.perf_counter() - started
