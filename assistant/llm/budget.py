"""How long LLM mode may take for one answer, and when the model is not asked at all.

One answer, one deadline: the follow-up rewrite and the streamed answer share `llm_deadline` seconds
(default 20), counted from the answer's first call to the model (retrieval before it is not the
model's time). Each call waits at most the time left, and a stream
is abandoned the moment the deadline passes (client.within), whatever the endpoint does: a chunk every
4 s would keep a per-read timeout waiting for ever.

A breaker per endpoint and process: after FAILURES_TO_SKIP answers in a row whose model calls failed
(an error, a timeout, the deadline, an empty reply), the model is skipped for `llm_skip_seconds`
(default 60): answers are extractive at once, with a notice saying for how long. The first answer after
that asks the model again; one more failure skips again, one success closes the breaker. An answer the
checks reject is no failure: the endpoint worked.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from . import notices

FAILURES_TO_SKIP = 3


class Breaker:
    def __init__(self):
        self._lock = threading.Lock()
        self.failures = 0  # answers in a row whose model calls failed
        self.skip_until = 0.0  # time.monotonic() until which the model is skipped

    def skipping(self) -> float:
        """Seconds the model is still skipped for; 0: ask it."""
        return max(0.0, self.skip_until - time.monotonic())

    def failed(self, skip_seconds: float) -> None:
        with self._lock:
            self.failures += 1
            if self.failures >= FAILURES_TO_SKIP:
                self.skip_until = time.monotonic() + skip_seconds

    def succeeded(self) -> None:
        with self._lock:
            self.failures, self.skip_until = 0, 0.0


_BREAKERS: dict[tuple[str, str], Breaker] = {}
_BREAKERS_LOCK = threading.Lock()


def breaker(config) -> Breaker:
    """The breaker of the configured endpoint (base URL and model) in this process."""
    with _BREAKERS_LOCK:
        return _BREAKERS.setdefault((config.llm_base_url or "", config.llm_model), Breaker())


def reset_breakers() -> None:
    """Forget every endpoint's failures (a test starting afresh; a reloaded configuration)."""
    with _BREAKERS_LOCK:
        _BREAKERS.clear()


@dataclass
class Budget:
    """One answer's time with the model, and what became of it (reported to the breaker once)."""

    seconds: float
    skip_seconds: float
    breaker: Breaker
    deadline: float | None = field(default=None, init=False)  # set by the first call's remaining()
    outcome: str | None = None  # None until a call ends, then "ok" or "failed"

    @classmethod
    def start(cls, config) -> Budget:
        return cls(float(config.llm_deadline), float(config.llm_skip_seconds), breaker(config))

    def remaining(self) -> float:
        """Seconds left; the first call starts the clock."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.seconds
        return max(0.0, self.deadline - time.monotonic())

    def skipped(self) -> str | None:
        """The notice to answer with when the breaker is open, else None (ask the model)."""
        left = self.breaker.skipping()
        return notices.skipped(self.breaker.failures, left) if left else None

    def fail(self) -> None:
        if self.outcome != "failed":
            self.outcome = "failed"
            self.breaker.failed(self.skip_seconds)

    def succeed(self) -> None:
        if self.outcome is None:
            self.outcome = "ok"
            self.breaker.succeeded()
