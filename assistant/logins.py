"""The web app's login check over the accounts: slowed down per (user, address) after repeated
failures, every failure logged (never the password).

After FREE_FAILURES failures for one name from one address, the next attempt from there is refused
unheard until a wait has passed that doubles with each further failure (1 s, 2, 4 … capped at
MAX_WAIT); `LoginGuard.wait_left` says how long is left, for the login form's message. The failures
are kept with the records (`records.throttle`), so every replica of the web app counts the same ones;
in memory when the log is off.
"""

from __future__ import annotations

import contextvars
import logging
import secrets
import threading
import time

from .passwords import hash_password, verify_password

log = logging.getLogger("plan_assistant.accounts")

FREE_FAILURES = 3
MAX_WAIT = 300.0
MAX_TRACKED = 10_000  # (user, address) pairs remembered in memory; the oldest are forgotten past this


# the address of the client whose request is being handled, set by RememberClientAddress: Gradio hands
# its login check only the name and password
CLIENT_ADDRESS: contextvars.ContextVar[str] = contextvars.ContextVar("client_address", default="?")


class RememberClientAddress:
    """ASGI middleware: the peer address of each request into CLIENT_ADDRESS, for the login check.
    It is the peer as uvicorn gives it: behind a proxy that sends X-Forwarded-For from an address
    uvicorn trusts (127.0.0.1 and ::1, or FORWARDED_ALLOW_IPS), the browser's; else the proxy's."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") in ("http", "websocket") and scope.get("client"):
            CLIENT_ADDRESS.set(str(scope["client"][0]))
        await self.app(scope, receive, send)


# a hash to verify against for unknown names, so the time taken does not tell which names exist
_DUMMY = hash_password(secrets.token_urlsafe(12))


class MemoryFailures:
    """Failures kept in this process: without records (the log off), or while they cannot be reached."""

    def __init__(self):
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}  # key -> (count, time of last)
        self._lock = threading.Lock()

    def get(self, user: str, address: str) -> tuple[int, float]:
        with self._lock:
            return self._failures.get((user, address), (0, 0.0))

    def add(self, user: str, address: str, when: float) -> int:
        with self._lock:
            count = self._failures.pop((user, address), (0, 0.0))[0] + 1
            self._failures[(user, address)] = (count, when)  # re-inserted: the dict stays oldest first
            while len(self._failures) > MAX_TRACKED:
                del self._failures[next(iter(self._failures))]
        return count

    def clear(self, user: str, address: str) -> None:
        with self._lock:
            self._failures.pop((user, address), None)


class StoredFailures:
    """Failures kept with the records (`records.throttle`), shared by every process that uses them.
    When the records cannot be reached the count goes on in this process's memory (and the error is
    logged): the login keeps working and keeps slowing a guesser down."""

    def __init__(self, records):
        self.records = records
        self.memory = MemoryFailures()

    def _call(self, stored: str, in_memory, *args):
        from .records import RecordsError, throttle

        try:
            return getattr(throttle, stored)(self.records, *args)
        except RecordsError as e:
            log.error("login failures kept in memory only, the records are unreachable: %s", e)
            return in_memory(*args)

    def get(self, user: str, address: str) -> tuple[int, float]:
        return max(self._call("failures_of", self.memory.get, user, address), self.memory.get(user, address))

    def add(self, user: str, address: str, when: float) -> int:
        return self._call("add_failure", self.memory.add, user, address, when)

    def clear(self, user: str, address: str) -> None:
        self.memory.clear(user, address)
        self._call("clear_failures", self.memory.clear, user, address)


class LoginGuard:
    """The login check over `accounts`, slowing repeated failures down per (user, address). The
    failures are kept with `records` when they are on (so replicas share them), else in memory.

    `clock` (seconds since the epoch, the same on every machine) is injectable so tests can step
    time instead of waiting. A wait is never longer than its own length, should a clock go back."""

    def __init__(self, accounts: dict, records=None, clock=time.time):  # name -> accounts.Account
        self.accounts = accounts
        self.clock = clock
        self.failures = StoredFailures(records) if records is not None and records.enabled else MemoryFailures()

    def wait_left(self, user: str | None, address: str | None = None) -> float:
        """Seconds before the next login attempt for `user` from `address` (by default the address of
        the request being handled) is heard; 0 when it would be heard now. For a login form's
        message: "请 N 秒后再试"."""
        user, address = (user or "").strip(), address or CLIENT_ADDRESS.get()
        count, last = self.failures.get(user, address)
        if count < FREE_FAILURES:
            return 0.0
        wait = min(2.0 ** (count - FREE_FAILURES), MAX_WAIT)
        return min(wait, max(0.0, last + wait - self.clock()))

    def check(self, user: str | None, password: str | None, address: str | None = None) -> bool:
        user, password = (user or "").strip(), password or ""
        address = address or CLIENT_ADDRESS.get()
        left = self.wait_left(user, address)
        if left > 0:
            log.warning("login refused unheard: user=%r address=%s, %.0f s of the wait left", user, address, left)
            return False
        account = self.accounts.get(user)
        ok = verify_password(password, account.hash if account else _DUMMY) and account is not None
        if ok:
            self.failures.clear(user, address)
            log.info("login: user=%r address=%s", user, address)
        else:
            count = self.failures.add(user, address, self.clock())
            log.warning("login failed: user=%r address=%s, failure %d in a row", user, address, count)
        return ok

    __call__ = check  # Gradio's auth= takes a callable (username, password) -> bool

    def is_admin(self, user: str | None) -> bool:
        account = self.accounts.get(user or "")
        return bool(account and account.admin)
