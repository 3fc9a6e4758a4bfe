"""The records database: a SQLite file in WAL mode (the default) or a PostgreSQL database, reached
through SQLAlchemy, opened lazily, written in short transactions.

`Records.open(config)` gives the records the configuration names (`records_url`, else the SQLite file
`log_path` / beside the index), or records that are off (log=off or --no-log): those never create,
open or write anything, and their reads are empty. Connections come from a pool per process, so
threads of a server and separate processes (CLI, web app, HTTP service, replicas on other machines
with PostgreSQL) write the same records safely; a process killed mid-write loses at most the row it
was writing (the unfinished transaction is rolled back: by SQLite's WAL when the file is next opened,
by PostgreSQL when the connection drops). A new SQLite file (and its -wal and -shm) is readable by
its owner only, its folder too when created here.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..private import create_private
from .engine import UrlError, engine_for, redacted, shown, url_of
from .schema import VERSION, SchemaTooNew, migrate

PURGE_EVERY_S = 3600.0  # retention is applied when the records open and then at most once an hour


class RecordsError(Exception):
    """A records operation cannot be done; the message (Chinese) says why."""


def now_text(clock: Callable[[], datetime] = datetime.now) -> str:
    return clock().astimezone().isoformat(timespec="milliseconds")


def storable(text: str) -> str:
    """`text` as both databases can store it: a lone surrogate (from a command line's undecodable
    bytes) is written as its escape, `\\ud800`, instead of failing the write, and so is a NUL
    character (PostgreSQL's text has none).

    >>> storable("粮食\\ud800产量\\x00")
    '粮食\\\\ud800产量\\\\x00'
    """
    if "\x00" in text:
        text = text.replace("\x00", "\\x00")
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


def reason_of(e: SQLAlchemyError) -> str:
    """The database's own words, one line, without SQLAlchemy's wrapping or a password."""
    cause = e.orig if isinstance(e, DBAPIError) and e.orig is not None else e
    lines = [line for line in str(cause).splitlines() if line.strip()]
    return redacted(lines[0].strip() if lines else type(cause).__name__)


class Records:
    """The records at `where`: a path (a SQLite file), a URL (sqlite:///… or postgresql+psycopg://…),
    or None (off)."""

    def __init__(self, where: str | os.PathLike | None, retention_days: int = 0, llm_enabled: bool = False,
                 secrets: tuple[str, ...] = (), clock: Callable[[], datetime] = datetime.now):
        try:
            self.url = url_of(where) if where is not None else None
        except UrlError as e:
            raise RecordsError(str(e)) from None
        self.retention_days = retention_days
        self.llm_enabled = llm_enabled
        password = self.url.password if self.url is not None else None
        self.secrets = tuple(s for s in (*secrets, password) if s and len(s) >= 6)
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
        return cls(config.records_location, config.log_retention_days, config.llm_enabled, secrets, clock)

    @property
    def enabled(self) -> bool:
        return self.url is not None

    @property
    def backend(self) -> str | None:
        """'sqlite' or 'postgresql' (None when off)."""
        return self.url.get_backend_name() if self.url is not None else None

    @property
    def path(self) -> Path | None:
        """The SQLite file; None for PostgreSQL or when off."""
        return Path(self.url.database) if self.backend == "sqlite" else None

    @property
    def readable(self) -> bool:
        """On and there: reads of a SQLite file that was never written do not create it."""
        return self.enabled and (self.path is None or self.path.exists())

    def where(self) -> str:
        """The records as a message may name them (no password)."""
        return shown(self.url) if self.url is not None else "（已关闭）"

    def now(self) -> str:
        return now_text(self.clock)

    def _prepare(self) -> None:
        with self._lock:
            if not self._ready:
                self.migrate()
                self._ready = True

    def migrate(self, target: int = VERSION) -> int:
        """Create the database if needed (a SQLite file owner-only and in WAL mode) and apply the
        migration steps up to `target`; the version it is at."""
        name = self.path.name if self.path is not None else self.where()
        try:
            engine = engine_for(self.url)
            if self.path is not None:
                # owner-only from the start: SQLite gives the -wal and -shm files the database's mode
                create_private(self.path)
                raw = engine.raw_connection()
                try:
                    raw.cursor().execute("PRAGMA journal_mode = WAL")  # stays set in the file
                finally:
                    raw.close()
            with self._connection(write=True) as conn:
                return migrate(conn, target)
        except SchemaTooNew as e:
            raise RecordsError(str(e)) from None
        except UrlError as e:
            raise RecordsError(str(e)) from None
        except SQLAlchemyError as e:
            raise RecordsError(f"无法打开记录数据库 {name}：{reason_of(e)}") from None
        except OSError as e:
            raise RecordsError(f"无法打开记录数据库 {name}：{e}") from e

    @contextmanager
    def _connection(self, write: bool) -> Iterator[Connection]:
        with engine_for(self.url).connect() as conn:
            conn.execution_options(write=write)
            with conn.begin():
                yield conn

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Connection]:
        """A connection in one transaction on the (migrated) database, committed when the block ends
        and rolled back when it raises; retention applied first when it is due. `write`: the
        transaction writes (on SQLite it takes the write lock at once)."""
        if not self.enabled:
            raise RecordsError("记录已关闭（--no-log 或 PLAN_ASSISTANT_LOG=off）")
        self._prepare()
        try:
            if self.retention_days and time.monotonic() - self._last_purge > PURGE_EVERY_S:
                self._last_purge = time.monotonic()
                cutoff = (self.clock() - timedelta(days=self.retention_days)).astimezone()
                with self._connection(write=True) as conn:
                    purge_before(conn, cutoff.isoformat(timespec="milliseconds"))
            with self._connection(write) as conn:
                yield conn
        except SQLAlchemyError as e:
            raise RecordsError(f"记录数据库出错：{reason_of(e)}") from None

    def scrub(self, text: str | None) -> str | None:
        """`text` with any configured credential replaced, so none is ever stored."""
        if text is None:
            return None
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return storable(text)

    def purge(self, before: date | str) -> int:
        """Delete log rows (with their feedback), conversations and login failures from before the day
        `before`; how many log rows."""
        cutoff = day_text(before)
        if not self.readable:
            return 0
        with self.transaction(write=True) as conn:
            return purge_before(conn, cutoff)


def purge_before(conn: Connection, cutoff: str) -> int:
    """Rows older than `cutoff` (an ISO time or date) deleted in `conn`'s transaction; how many answers."""
    n = conn.execute(text("DELETE FROM answers WHERE time < :cutoff"), {"cutoff": cutoff}).rowcount
    conn.execute(text("DELETE FROM conversations WHERE updated < :cutoff"), {"cutoff": cutoff})
    when = datetime.fromisoformat(cutoff).astimezone().timestamp()
    conn.execute(text("DELETE FROM login_failures WHERE last < :when"), {"when": when})
    return n


def _userinfo(url: str | None) -> str:
    """The user:password part of an endpoint URL such as http://u:p@host/v1 (a credential too)."""
    if not url or "@" not in url:
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.password or ""
