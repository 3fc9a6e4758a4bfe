"""The conversation list of the chat tab: earlier conversations per user, kept server-side in the
records' conversations table, so they reopen after a reload or a new login.

The owner is the login name; with accounts off it is a per-browser id that the page keeps in
localStorage (`BROWSER_ID_JS` makes it on the first visit and hands it to every callback through a
hidden textbox). Every read and write names the owner, so nobody opens somebody else's conversation.
With the log off (--no-log) nothing is saved and the list says so.
"""

from __future__ import annotations

import re

import gradio as gr

from ..records import RecordsError, list_conversations, load_conversation, owner_of, save_conversation
from . import state

BROWSER_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
STORAGE_KEY = "plan-assistant-browser-id"
# run in the page on load: this browser's id, made once and kept in localStorage
BROWSER_ID_JS = f"""() => {{
  let id = null;
  try {{ id = localStorage.getItem("{STORAGE_KEY}"); }} catch (e) {{}}
  if (!id || !/^[A-Za-z0-9-]{{8,64}}$/.test(id)) {{
    id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + "-" + Math.random().toString(16).slice(2));
    try {{ localStorage.setItem("{STORAGE_KEY}", id); }} catch (e) {{}}
  }}
  return [id];
}}"""
EMPTY = "还没有保存的对话：提问后自动保存在这里。"


def owner(browser_id: str | None, request) -> str | None:
    """The owner key of this user (login name) or browser (its id, when well-formed); None: unknown."""
    user = getattr(request, "username", None)
    if user:
        return owner_of(user=user)
    if browser_id and BROWSER_ID.match(browser_id):
        return owner_of(browser=browser_id)
    return None


def label_of(c: dict) -> str:
    """How a conversation is listed: its title and last change (month-day hour:minute)."""
    return f"{c['title']} · {c['updated'][5:16].replace('T', ' ')}"


def choices_of(key: str | None) -> list[tuple[str, str]]:
    if key is None:
        return []
    return [(label_of(c), c["id"]) for c in list_conversations(state.RECORDS, key)]


def list_update(key: str | None, current: str | None = None):
    choices = choices_of(key)
    info = (EMPTY if state.RECORDS.enabled else "问答记录已关闭（--no-log）：对话不会保存。") if not choices else ""
    return gr.update(choices=choices, value=current if current in {v for _, v in choices} else None,
                     info=info)


def show_list(browser_id: str | None, request: gr.Request = None):
    """On page load: (this browser's id, back into its hidden box; the list)."""
    try:
        return browser_id, list_update(owner(browser_id, request))
    except RecordsError as e:
        state.log.error("listing conversations failed: %s", e)
        return browser_id, gr.update(choices=[], value=None)


def save_current(conversation: list[dict] | None, conversation_id: str | None, browser_id: str | None,
                 request: gr.Request = None):
    """After an answer: the conversation saved (a new one gets an id); (its id, the list)."""
    key = owner(browser_id, request)
    if not conversation or key is None or not state.RECORDS.enabled:
        return conversation_id, gr.skip()
    try:
        new_id = save_conversation(state.RECORDS, key, list(conversation), conversation_id)
        return new_id, list_update(key, new_id)
    except RecordsError as e:
        state.log.error("saving a conversation failed: %s", e)
        gr.Warning(f"对话未保存：{e}")
        return conversation_id, gr.skip()


def open_conversation(conversation_id: str | None, browser_id: str | None, request: gr.Request = None):
    """A conversation picked from the list: (its turns, its id), or gr.skip() when it is not this
    user's (or gone)."""
    key = owner(browser_id, request)
    found = load_conversation(state.RECORDS, key, conversation_id) if key and conversation_id else None
    if found is None:
        gr.Warning("找不到这段对话（可能已过保留期）")
        return gr.skip(), gr.skip()
    return found["turns"], found["id"]
