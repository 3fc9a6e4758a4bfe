"""Where the records live: a SQLAlchemy URL, and one engine (with its connection pool) per URL and
process.

A SQLite file is named by its path or `sqlite:///PATH`; a PostgreSQL server by
`postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB` (`postgresql://` means the same driver, psycopg 3:
`pip install 'plan-assistant[pg]'`). The password is never shown: every message and log line names
the records by `shown(url)`.

    >>> shown(url_of("postgresql://plan:s3cret@db.local/plan"))
    'postgresql+psycopg://plan:***@db.local/plan'
    >>> shown(url_of("/srv/plan/records.sqlite3"))
    'sqlite:////srv/plan/records.sqlite3'

SQLite: each connection has foreign keys on, synchronous FULL and a 30 s busy timeout, and we say
BEGIN ourselves — BEGIN IMMEDIATE for a write, so a writer takes the file's write lock before it reads
and never fails half way on a lock taken meanwhile (WAL lets readers go on). PostgreSQL: connections are
checked before use, so a restarted server costs no failed request.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError

BUSY_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10
DRIVER = "postgresql+psycopg"
INSTALL_PG = "使用 PostgreSQL 记录数据库需要 psycopg：pip install 'plan-assistant[pg]'"


class UrlError(ValueError):
    """A records location that cannot be used; the message (Chinese) says why, without the password."""


def redacted(text: str) -> str:
    """`text` with the password of any URL in it replaced by ***.

    >>> redacted("postgresql://plan:pw@db/plan and sqlite:///x")
    'postgresql://plan:***@db/plan and sqlite:///x'
    """
    return re.sub(r"(\w[\w+.-]*://[^:/@\s]*):[^@\s]*@", r"\1:***@", text)


def shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def url_of(where: str | os.PathLike) -> URL:
    """The URL of a path (a SQLite file) or of a URL string; UrlError for what is not a SQLite file or
    a PostgreSQL database."""
    if isinstance(where, os.PathLike) or "://" not in str(where):
        return URL.create("sqlite", database=str(Path(where)))
    try:
        url = make_url(str(where))
    except (ArgumentError, ValueError):
        raise UrlError(f"记录数据库地址无效：{redacted(str(where))}") from None
    if url.drivername in ("postgresql", "postgres", DRIVER):
        return url.set(drivername=DRIVER)
    if url.drivername == "sqlite" and url.database and url.database != ":memory:":
        return url
    raise UrlError(f"记录数据库只能是 SQLite 文件（sqlite:///路径）或 PostgreSQL（{DRIVER}://用户@主机/库），"
                   f"而不是 {shown(url)}")


_engines: dict[str, Engine] = {}
_lock = threading.Lock()
_pid = os.getpid()


def engine_for(url: URL) -> Engine:
    """The engine of `url` in this process, made on first use. A forked process (the service's
    workers) makes its own: the pooled connections it inherited belong to its parent."""
    global _pid
    with _lock:
        if os.getpid() != _pid:
            for engine in _engines.values():
                engine.dispose(close=False)  # closing them here would end the parent's sessions
            _engines.clear()
            _pid = os.getpid()
        key = url.render_as_string(hide_password=False)
        if key not in _engines:
            _engines[key] = _sqlite_engine(url) if url.get_backend_name() == "sqlite" else _pg_engine(url)
        return _engines[key]


def dispose_all() -> None:
    """Close every pooled connection of this process (before a database is dropped or copied)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # the driver's own BEGINs off: on_begin says when
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute("PRAGMA synchronous = FULL")

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def _pg_engine(url: URL) -> Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise UrlError(INSTALL_PG) from None
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
