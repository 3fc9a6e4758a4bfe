"""Saved conversations, each owned by a login name ("user:alice") or a browser ("browser:<id>").

A conversation is its turns as given (JSON: the web app's turns with their citations), a title (the
first question, shortened) and its created/updated times. Every read and write names the owner, and
an id of another owner is treated as absent, so nobody reaches somebody else's conversation.
"""

from __future__ import annotations

import json
import secrets

from .db import Records, RecordsError, storable

TITLE_CHARS = 40
MAX_TURNS = 500


def owner_of(user: str | None = None, browser: str | None = None) -> str:
    """The owner key: the login name when there is one, else the browser id."""
    if user:
        return f"user:{user}"
    if browser:
        return f"browser:{browser}"
    raise RecordsError("保存对话需要登录名或浏览器标识")


def title_of(turns: list[dict]) -> str:
    """The first question of the conversation, on one line, at most TITLE_CHARS characters.

    >>> title_of([{"role": "user", "content": "粮食产量\\n目标是多少？"}])
    '粮食产量 目标是多少？'
    """
    for t in turns:
        text = t.get("question") or (t.get("content") if t.get("role") == "user" else None)
        if text:
            text = " ".join(str(text).split())
            return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS - 1] + "…"
    return "新对话"


def _turns_json(turns) -> str:
    if not isinstance(turns, list) or not all(isinstance(t, dict) for t in turns):
        raise RecordsError("对话应为轮次的列表")
    if len(turns) > MAX_TURNS:
        raise RecordsError(f"对话过长（超过 {MAX_TURNS} 轮）")
    try:
        return storable(json.dumps(turns, ensure_ascii=False))
    except (TypeError, ValueError) as e:
        raise RecordsError(f"对话内容无法保存：{e}") from e


def save_conversation(records: Records, owner: str, turns: list[dict], conversation_id: str | None = None,
                      title: str | None = None) -> str | None:
    """Store `turns` as conversation `conversation_id` of `owner` (a new one when None or not the
    owner's); its id, None when the records are off."""
    if not records.enabled:
        return None
    data = _turns_json(turns)
    title = storable((title or title_of(turns))[:TITLE_CHARS])
    now = records.now()
    with records.connect() as conn:
        if conversation_id:
            cur = conn.execute("UPDATE conversations SET turns = ?, title = ?, updated = ? WHERE id = ? AND owner = ?",
                               (data, title, now, conversation_id, owner))
            if cur.rowcount:
                return conversation_id
        new_id = secrets.token_hex(8)
        conn.execute("INSERT INTO conversations (id, owner, title, created, updated, turns) VALUES (?, ?, ?, ?, ?, ?)",
                     (new_id, owner, title, now, now, data))
        return new_id


def list_conversations(records: Records, owner: str) -> list[dict]:
    """The owner's conversations, latest first: id, title, created, updated, turns (how many)."""
    if not records.readable:
        return []
    with records.connect() as conn:
        rows = conn.execute("SELECT id, title, created, updated, json_array_length(turns) AS n FROM conversations"
                            " WHERE owner = ? ORDER BY updated DESC, rowid DESC", (owner,)).fetchall()
    return [{"id": r["id"], "title": r["title"], "created": r["created"], "updated": r["updated"], "turns": r["n"]}
            for r in rows]


def load_conversation(records: Records, owner: str, conversation_id: str) -> dict | None:
    """{"id", "title", "created", "updated", "turns": [...]}, or None when it is not the owner's."""
    if not records.readable:
        return None
    with records.connect() as conn:
        r = conn.execute("SELECT * FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)).fetchone()
    if r is None:
        return None
    return {"id": r["id"], "title": r["title"], "created": r["created"], "updated": r["updated"],
            "turns": json.loads(r["turns"])}


def delete_conversation(records: Records, owner: str, conversation_id: str) -> bool:
    """True when the owner's conversation was there and is gone."""
    if not records.readable:
        return False
    with records.connect() as conn:
        return conn.execute("DELETE FROM conversations WHERE id = ? AND owner = ?",
                            (conversation_id, owner)).rowcount > 0
