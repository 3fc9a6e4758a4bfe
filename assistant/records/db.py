"""The records database: one SQLite file in WAL mode, opened lazily, written one row per transaction.

`Records.open(config)` gives the records of the configured file, or records that are off (log=off or
--no-log): those never create, open or write the file, and their reads are empty. Each call opens its
own short connection, so threads of a server and separate processes (CLI, web app, HTTP service)
write the same file safely; a process killed mid-write loses at most the row it was writing (SQLite's
WAL rolls an unfinished transaction back when the file is next opened).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from .schema import SchemaTooNew, migrate

BUSY_TIMEOUT_S = 30.0
PURGE_EVERY_S = 3600.0  # retention is applied when the records open and then at most once an hour


class RecordsError(Exception):
    """A records operation cannot be done; the message (Chinese) says why."""


def now_text(clock: Callable[[], datetime] = datetime.now) -> str:
    return clock().astimezone().isoformat(timespec="milliseconds")


def storable(text: str) -> str:
    """`text` as SQLite can store it: a lone surrogate (from a command line's undecodable bytes) is
    written as its escape, `\\ud800`, instead of failing the write.

    >>> storable("粮食\\ud800产量")
    '粮食\\\\ud800产量'
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def day_text(day: date | str) -> str:
    """'2026-03-01' for a date or a date string (checked); bad input is a RecordsError."""
    if isinstance(day, date):
        return day.isoformat()
    try:
        return date.fromisoformat(str(day).strip()).isoformat()
    except ValueError:
        raise RecordsError(f"日期应为 YYYY-MM-DD，而不是“{str(day)[:20]}”") from None


class Records:
    def __init__(self, path: str | Path | None, retention_days: int = 0, llm_enabled: bool = False,
                 secrets: tuple[str, ...] = (), clock: Callable[[], datetime] = datetime.now):
        self.path = Path(path) if path is not None else None
        self.retention_days = retention_days
        self.llm_enabled = llm_enabled
        self.secrets = tuple(s for s in secrets if s and len(s) >= 6)
        self.clock = clock
        self._ready = False
        self._lock = threading.Lock()
        self._last_purge = float("-inf")

    @classmethod
    def open(cls, config, enabled: bool | None = None, clock: Callable[[], datetime] = datetime.now) -> Records:
        """The records `config` names; off (writing nothing) when `enabled` is False or config.log is off."""
        on = config.log_enabled if enabled is None else enabled and config.log_enabled
        if not on:
            return cls(None)
        secrets = (config.llm_api_key if config.llm_api_key != "not-needed" else "",
                   _userinfo(config.llm_base_url))
        return cls(config.log_file, config.log_retention_days, config.llm_enabled, secrets, clock)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    @property
    def readable(self) -> bool:
        """On and the file exists: reads of records that were never written do not create the file."""
        return self.enabled and self.path.exists()

    def now(self) -> str:
        return now_text(self.clock)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _prepare(self) -> None:
        with self._lock:
            if self._ready:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = self._connect()
                try:
                    conn.execute("PRAGMA journal_mode = WAL")  # stays set in the file
                    migrate(conn)
                finally:
                    conn.close()
            except SchemaTooNew as e:
                raise RecordsError(str(e)) from None
            except (OSError, sqlite3.Error) as e:
                raise RecordsError(f"无法打开记录数据库 {self.path.name}：{e}") from e
            self._ready = True

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection to the (migrated) file; retention applied first when it is due."""
        if not self.enabled:
            raise RecordsError("记录已关闭（--no-log 或 PLAN_ASSISTANT_LOG=off）")
        self._prepare()
        conn = self._connect()
        try:
            if self.retention_days and time.monotonic() - self._last_purge > PURGE_EVERY_S:
                self._last_purge = time.monotonic()
                cutoff = (self.clock() - timedelta(days=self.retention_days)).astimezone()
                purge_before(conn, cutoff.isoformat(timespec="milliseconds"))
            yield conn
        except sqlite3.Error as e:
            raise RecordsError(f"记录数据库出错：{e}") from e
        finally:
            conn.close()

    def scrub(self, text: str | None) -> str | None:
        """`text` with any configured credential replaced, so none is ever stored."""
        if text is None:
            return None
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return storable(text)

    def purge(self, before: date | str) -> int:
        """Delete log rows (with their feedback) and conversations from before the day `before`."""
        cutoff = day_text(before)
        if not self.readable:
            return 0
        with self.connect() as conn:
            return purge_before(conn, cutoff)


def purge_before(conn: sqlite3.Connection, cutoff: str) -> int:
    """Rows older than `cutoff` (an ISO time or date) deleted in one transaction; how many answers."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        n = conn.execute("DELETE FROM answers WHERE time < ?", (cutoff,)).rowcount
        conn.execute("DELETE FROM conversations WHERE updated < ?", (cutoff,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return n


def _userinfo(url: str | None) -> str:
    """The user:password part of an endpoint URL such as http://u:p@host/v1 (a credential too)."""
    if not url or "@" not in url:
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.password or ""
