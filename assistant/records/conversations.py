"""Saved conversations, each owned by a login name ("user:alice") or a browser ("browser:<id>").

A conversation is its turns as given (JSON: the web app's turns with their citations), a title (the
first question, shortened) and its created/updated times. Every read and write names the owner, and
an id of another owner is treated as absent, so nobody reaches somebody else's conversation.
"""

from __future__ import annotations

import json
import secrets

from sqlalchemy import text

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
    values = {"id": conversation_id, "owner": owner, "title": title, "now": now, "turns": data, "n": len(turns)}
    with records.transaction(write=True) as conn:
        if conversation_id:
            updated = conn.execute(text("UPDATE conversations SET turns = :turns, turn_count = :n, title = :title,"
                                        " updated = :now WHERE id = :id AND owner = :owner"), values).rowcount
            if updated:
                return conversation_id
        values["id"] = secrets.token_hex(8)
        conn.execute(text("INSERT INTO conversations (id, owner, title, created, updated, turns, turn_count)"
                          " VALUES (:id, :owner, :title, :now, :now, :turns, :n)"), values)
        return values["id"]


def list_conversations(records: Records, owner: str) -> list[dict]:
    """The owner's conversations, latest first: id, title, created, updated, turns (how many)."""
    if not records.readable:
        return []
    with records.transaction() as conn:
        rows = conn.execute(text("SELECT id, title, created, updated, turn_count FROM conversations"
                                 " WHERE owner = :owner ORDER BY updated DESC, rowid DESC"), {"owner": owner})
        return [{"id": r.id, "title": r.title, "created": r.created, "updated": r.updated, "turns": r.turn_count}
                for r in rows]


def load_conversation(records: Records, owner: str, conversation_id: str) -> dict | None:
    """{"id", "title", "created", "updated", "turns": [...]}, or None when it is not the owner's."""
    if not records.readable:
        return None
    with records.transaction() as conn:
        r = conn.execute(text("SELECT * FROM conversations WHERE id = :id AND owner = :owner"),
                         {"id": conversation_id, "owner": owner}).first()
    if r is None:
        return None
    return {"id": r.id, "title": r.title, "created": r.created, "updated": r.updated, "turns": json.loads(r.turns)}


def delete_conversation(records: Records, owner: str, conversation_id: str) -> bool:
    """True when the owner's conversation was there and is gone."""
    if not records.readable:
        return False
    with records.transaction(write=True) as conn:
        return conn.execute(text("DELETE FROM conversations WHERE id = :id AND owner = :owner"),
                            {"id": conversation_id, "owner": owner}).rowcount > 0
