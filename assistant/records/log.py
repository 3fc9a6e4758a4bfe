"""The conversation log: one row per answered question, and the feedback on it.

    rows = log_rows(records, since="2026-03-01", refused=True)
    [{"id": 7, "time": "2026-03-02T09:15:03.120+08:00", "user": "alice", "question": "…",
      "refs": ["四(三)"], "mode": "extractive", "refused": True, "vote": None, …}]

Only what the answer showed is stored: no configuration, no API key, no endpoint credential.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from .db import Records, RecordsError, day_text
from .schema import REASONS

log = logging.getLogger("plan_assistant.records")

SOURCES = ("web", "api", "cli")
VOTES = ("up", "down")


@dataclass(frozen=True)
class LogEntry:
    question: str
    answer: str
    refs: tuple[str, ...]
    mode: str  # extractive | llm | fallback
    fallback_reason: str | None
    refused: bool
    latency_ms: float
    history_len: int = 0
    user: str | None = None
    source: str = "web"

    @classmethod
    def of(cls, answer, *, question: str | None = None, latency_s: float, history_len: int = 0,
           user: str | None = None, source: str = "web", llm_enabled: bool = False) -> LogEntry:
        """The entry for an `assistant.types.Answer`. An extractive answer with a notice while LLM mode
        is on is a fallback, the notice its reason."""
        mode = answer.mode
        reason = None
        if mode != "llm" and llm_enabled and answer.notice and not answer.refused:
            mode, reason = "fallback", answer.notice
        refs = tuple(dict.fromkeys(c.ref for c in answer.citations))
        return cls(question if question is not None else answer.question, answer.text, refs, mode, reason,
                   bool(answer.refused), round(latency_s * 1000, 1), history_len, user or None, source)


def write_entry(records: Records, entry: LogEntry) -> int | None:
    """Insert `entry`; its row id (None when the records are off)."""
    if not records.enabled:
        return None
    if entry.source not in SOURCES:
        raise RecordsError(f"未知来源 {entry.source}")
    e = asdict(entry)
    values = (records.now(), e["user"], e["source"], records.scrub(e["question"]), e["history_len"],
              records.scrub(e["answer"]), json.dumps(list(e["refs"]), ensure_ascii=False), e["mode"],
              records.scrub(e["fallback_reason"]), int(e["refused"]), e["latency_ms"])
    with records.connect() as conn:
        cur = conn.execute("INSERT INTO answers (time, user, source, question, history_len, answer, refs, mode,"
                           " fallback_reason, refused, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        return cur.lastrowid


def log_answer(records: Records, answer, *, latency_s: float, history=None, user: str | None = None,
               source: str = "web", question: str | None = None) -> int | None:
    """Log one answered question (the call every edge makes once per answer); the row id, or None when
    the records are off or the write failed: a log that cannot be written (disk full, read-only
    folder) is reported in the server's log and never keeps the answer from the user."""
    entry = LogEntry.of(answer, question=question, latency_s=latency_s, history_len=len(history or []),
                        user=user, source=source, llm_enabled=records.llm_enabled)
    try:
        return write_entry(records, entry)
    except RecordsError as e:
        log.error("the answer to %r was not logged: %s", entry.question[:60], e)
        return None


def set_feedback(records: Records, answer_id: int, vote: str | None, reason: str | None = None,
                 comment: str | None = None, user: str | None = None) -> None:
    """👍 ("up") or 👎 ("down", with an optional reason from REASONS and free text) on a logged answer;
    a later call replaces it, vote None removes it. Only the one who asked may judge an answer that
    has a user."""
    if not records.enabled:
        return
    if vote is not None and vote not in VOTES:
        raise RecordsError(f"评价应为 up 或 down，而不是 {vote}")
    if reason is not None and reason not in REASONS:
        raise RecordsError(f"原因应为 {' / '.join(REASONS)} 之一")
    if vote == "up" and (reason or comment):
        raise RecordsError("👍 不需要原因")
    comment = (comment or "").strip()[:2000] or None
    with records.connect() as conn:
        row = conn.execute("SELECT user FROM answers WHERE id = ?", (int(answer_id),)).fetchone()
        if row is None:
            raise RecordsError("没有这条回答的记录（可能已过保留期）")
        if row["user"] is not None and row["user"] != user:
            raise RecordsError("只能评价自己提问得到的回答")
        if vote is None:
            conn.execute("DELETE FROM feedback WHERE answer_id = ?", (int(answer_id),))
            return
        conn.execute("INSERT INTO feedback (answer_id, time, user, vote, reason, comment) VALUES (?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (answer_id) DO UPDATE SET time = excluded.time, vote = excluded.vote,"
                     " reason = excluded.reason, comment = excluded.comment",
                     (int(answer_id), records.now(), user, vote, reason, records.scrub(comment)))


def row_of(r) -> dict:
    return {"id": r["id"], "time": r["time"], "user": r["user"], "source": r["source"], "question": r["question"],
            "history_len": r["history_len"], "answer": r["answer"], "refs": json.loads(r["refs"]),
            "mode": r["mode"], "fallback_reason": r["fallback_reason"], "refused": bool(r["refused"]),
            "latency_ms": r["latency_ms"], "vote": r["vote"], "reason": r["reason"], "comment": r["comment"]}


def where_clause(since=None, until=None, user=None, refused=None, vote=None) -> tuple[str, list]:
    """SQL conditions on answers `a` joined with feedback `f`. `since` is inclusive, `until` exclusive
    (both days, YYYY-MM-DD); `user` "" means rows without a user."""
    conds, params = [], []
    if since:
        conds.append("a.time >= ?")
        params.append(day_text(since))
    if until:
        conds.append("a.time < ?")
        params.append(day_text(until))
    if user is not None:
        conds.append("a.user IS NULL" if user == "" else "a.user = ?")
        params += [] if user == "" else [user]
    if refused is not None:
        conds.append("a.refused = ?")
        params.append(int(bool(refused)))
    if vote is not None:
        if vote not in VOTES:
            raise RecordsError(f"评价应为 up 或 down，而不是 {vote}")
        conds.append("f.vote = ?")
        params.append(vote)
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def log_rows(records: Records, since=None, until=None, user=None, refused=None, vote=None,
             limit: int | None = None) -> list[dict]:
    """Logged answers with their feedback, oldest first, filtered as `where_clause` says."""
    where, params = where_clause(since, until, user, refused, vote)  # bad input fails even with no file
    if not records.readable:
        return []
    where, params = where_clause(since, until, user, refused, vote)
    sql = ("SELECT a.*, f.vote, f.reason, f.comment FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id"
           f"{where} ORDER BY a.id")
    if limit:
        sql = f"SELECT * FROM ({sql} DESC LIMIT {int(limit)}) ORDER BY id"
    with records.connect() as conn:
        return [row_of(r) for r in conn.execute(sql, params)]
