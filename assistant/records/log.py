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

from sqlalchemy import text

from .db import Records, RecordsError, day_text
from .schema import REASONS

log = logging.getLogger("plan_assistant.records")

SOURCES = ("web", "api", "cli", "mcp")
VOTES = ("up", "down")
# as much of a question as is stored: what is answered (api.MAX_QUESTION_CHARS); a longer one keeps
# its length beside it, so the log of a pasted 1 MB text holds 2,000 characters and a number
MAX_STORED_QUESTION = 2000


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
    request_id: str | None = None  # a retried request's key: logged once (write_entry)

    @classmethod
    def of(cls, answer, *, question: str | None = None, latency_s: float, history_len: int = 0,
           user: str | None = None, source: str = "web", llm_enabled: bool = False,
           request_id: str | None = None) -> LogEntry:
        """The entry for an `assistant.types.Answer`. An extractive answer with a notice while LLM mode
        is on is a fallback, the notice its reason."""
        mode = answer.mode
        reason = None
        if mode != "llm" and llm_enabled and answer.notice and not answer.refused:
            mode, reason = "fallback", answer.notice
        refs = tuple(dict.fromkeys(c.ref for c in answer.citations))
        return cls(question if question is not None else answer.question, answer.text, refs, mode, reason,
                   bool(answer.refused), round(latency_s * 1000, 1), history_len, user or None, source, request_id)


def quoted(column: str) -> str:
    return '"user"' if column == "user" else column  # a reserved word in PostgreSQL


def write_entry(records: Records, entry: LogEntry) -> int | None:
    """Insert `entry`; its row id (None when the records are off). An entry whose request_id is
    logged already (the same request answered again after a retry) is not inserted twice: the id
    is that row's."""
    if not records.enabled:
        return None
    if entry.source not in SOURCES:
        raise RecordsError(f"未知来源 {entry.source}")
    e = asdict(entry)
    question = e["question"]
    length = len(question) if len(question) > MAX_STORED_QUESTION else None
    values = {"time": records.now(), "user": e["user"], "source": e["source"],
              "question": records.scrub(question[:MAX_STORED_QUESTION]), "question_chars": length,
              "history_len": e["history_len"], "answer": records.scrub(e["answer"]),
              "refs": json.dumps(list(e["refs"]), ensure_ascii=False), "mode": e["mode"],
              "fallback_reason": records.scrub(e["fallback_reason"]), "refused": int(e["refused"]),
              "latency_ms": e["latency_ms"], "request_id": e["request_id"]}
    with records.transaction(write=True) as conn:
        new = conn.execute(text(f"INSERT INTO answers ({', '.join(map(quoted, values))})"
                                f" VALUES ({', '.join(':' + k for k in values)})"
                                " ON CONFLICT (request_id) DO NOTHING RETURNING id"), values).scalar()
        if new is None:
            return conn.execute(text("SELECT id FROM answers WHERE request_id = :r"), {"r": e["request_id"]}).scalar_one()
        return new


def log_answer(records: Records, answer, *, latency_s: float, history=None, user: str | None = None,
               source: str = "web", question: str | None = None, request_id: str | None = None) -> int | None:
    """Log one answered question (the call every edge makes once per answer); the row id, or None when
    the records are off or the write failed: a log that cannot be written (disk full, read-only
    folder) is reported in the server's log and never keeps the answer from the user."""
    entry = LogEntry.of(answer, question=question, latency_s=latency_s, history_len=len(history or []),
                        user=user, source=source, llm_enabled=records.llm_enabled, request_id=request_id)
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
    with records.transaction(write=True) as conn:
        row = conn.execute(text('SELECT "user" FROM answers WHERE id = :id'), {"id": int(answer_id)}).first()
        if row is None:
            raise RecordsError("没有这条回答的记录（可能已过保留期）")
        if row.user is not None and row.user != user:
            raise RecordsError("只能评价自己提问得到的回答")
        if vote is None:
            conn.execute(text("DELETE FROM feedback WHERE answer_id = :id"), {"id": int(answer_id)})
            return
        conn.execute(text('INSERT INTO feedback (answer_id, time, "user", vote, reason, comment)'
                          " VALUES (:id, :time, :user, :vote, :reason, :comment)"
                          " ON CONFLICT (answer_id) DO UPDATE SET time = excluded.time, vote = excluded.vote,"
                          " reason = excluded.reason, comment = excluded.comment"),
                     {"id": int(answer_id), "time": records.now(), "user": user, "vote": vote, "reason": reason,
                      "comment": records.scrub(comment)})


def row_of(r) -> dict:
    return {"id": r["id"], "time": r["time"], "user": r["user"], "source": r["source"], "question": r["question"],
            "question_chars": r["question_chars"], "history_len": r["history_len"], "answer": r["answer"], "refs": json.loads(r["refs"]),
            "mode": r["mode"], "fallback_reason": r["fallback_reason"], "refused": bool(r["refused"]),
            "latency_ms": r["latency_ms"], "vote": r["vote"], "reason": r["reason"], "comment": r["comment"]}


def where_clause(since=None, until=None, user=None, refused=None, vote=None) -> tuple[str, dict]:
    """SQL conditions on answers `a` joined with feedback `f`, and their parameters. `since` is
    inclusive, `until` exclusive (both days, YYYY-MM-DD); `user` "" means rows without a user."""
    conds, params = [], {}
    if since:
        conds.append("a.time >= :since")
        params["since"] = day_text(since)
    if until:
        conds.append("a.time < :until")
        params["until"] = day_text(until)
    if user is not None:
        conds.append('a."user" IS NULL' if user == "" else 'a."user" = :user')
        params |= {} if user == "" else {"user": user}
    if refused is not None:
        conds.append("a.refused = :refused")
        params["refused"] = int(bool(refused))
    if vote is not None:
        if vote not in VOTES:
            raise RecordsError(f"评价应为 up 或 down，而不是 {vote}")
        conds.append("f.vote = :vote")
        params["vote"] = vote
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def log_rows(records: Records, since=None, until=None, user=None, refused=None, vote=None,
             limit: int | None = None) -> list[dict]:
    """Logged answers with their feedback, oldest first, filtered as `where_clause` says."""
    where, params = where_clause(since, until, user, refused, vote)  # bad input fails even with no file
    if not records.readable:
        return []
    sql = ("SELECT a.*, f.vote, f.reason, f.comment FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id"
           f"{where} ORDER BY a.id")
    if limit:
        sql = f"SELECT * FROM ({sql} DESC LIMIT {int(limit)}) AS recent ORDER BY id"
    with records.transaction() as conn:
        return [row_of(r) for r in conn.execute(text(sql), params).mappings()]
