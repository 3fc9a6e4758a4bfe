"""The records database's schema, as numbered migration steps.

`schema_version` holds one row: the number of steps applied. Opening a database applies the missing
steps in one write transaction, so two processes opening a new file at once do not both create it.
A step is only ever appended, never edited: a database written by an older build is brought up to
date by the steps after its number.
"""

from __future__ import annotations

import sqlite3

REASONS = ("数字不对", "引用不对", "没有回答问题", "答非所问", "其他")

MIGRATIONS: list[str] = [
    # 1: the conversation log and the feedback on its answers
    f"""
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,              -- local time, ISO 8601 with offset
        user TEXT,                       -- login name, API token name, or NULL
        source TEXT NOT NULL,            -- web | api | cli
        question TEXT NOT NULL,
        history_len INTEGER NOT NULL,    -- earlier messages (user and assistant) sent with it
        answer TEXT NOT NULL,
        refs TEXT NOT NULL,              -- JSON list of the cited refs
        mode TEXT NOT NULL CHECK (mode IN ('extractive', 'llm', 'fallback')),
        fallback_reason TEXT,            -- why an LLM answer fell back to the extractive one
        refused INTEGER NOT NULL CHECK (refused IN (0, 1)),
        latency_ms REAL NOT NULL
    );
    CREATE INDEX answers_time ON answers(time);
    CREATE TABLE feedback (
        answer_id INTEGER PRIMARY KEY REFERENCES answers(id) ON DELETE CASCADE,
        time TEXT NOT NULL,
        user TEXT,
        vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        reason TEXT CHECK (reason IS NULL OR reason IN ({", ".join(f"'{r}'" for r in REASONS)})),
        comment TEXT
    );
    """,
    # 2: saved conversations, per login name or per browser
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,             -- "user:NAME" or "browser:ID"
        title TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        turns TEXT NOT NULL              -- JSON list of turns, with their citations
    );
    CREATE INDEX conversations_owner ON conversations(owner, updated);
    CREATE INDEX answers_user ON answers(user, time);
    """,
]
VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    pass


def version_of(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return row[0] if row else 0


def migrate(conn: sqlite3.Connection, target: int = VERSION) -> int:
    """Apply the steps after the database's version up to `target`, in one transaction; the version
    reached. `conn` must be in autocommit mode (isolation_level=None)."""
    conn.execute("BEGIN IMMEDIATE")  # the write lock first: a second process waits, then sees the new version
    try:
        current = version_of(conn)
        if current > VERSION:
            raise SchemaTooNew(f"记录数据库的版本（{current}）比本程序（{VERSION}）新：请升级计划助手")
        if current == 0:
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (0)")
        for step in range(current, target):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = ?", (step + 1,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return max(current, target)
