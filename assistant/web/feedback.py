"""👍/👎 on the chat's answers: stored against the answer's row of the conversation log (with a reason
and free text for a 👎), and kept in the conversation itself as the answer's "vote", so a reopened
conversation shows its marks again (the chatbot's feedback_value, one entry per answer)."""

from __future__ import annotations

import gradio as gr

from ..records import REASONS, RecordsError, set_feedback
from . import state


def answers_of(conversation: list[dict]) -> list[dict]:
    return [m for m in conversation if m.get("role") == "assistant"]


FEEDBACK = {"up": "Like", "down": "Dislike"}  # a stored vote -> the chatbot's feedback value


def feedback_of(conversation: list[dict]) -> list[str | None]:
    """The chatbot's feedback_value: the 👍/👎 of each answer (its "vote", kept by `on_like`), one entry
    per answer, as the chatbot counts them (an answer and its citation messages are one group)."""
    return [FEEDBACK.get(a.get("vote")) for a in answers_of(conversation)]


def answer_at(conversation: list[dict], index) -> int | None:
    """Which answer of `conversation` (0, 1, …) the chatbot message at `index` belongs to: the answer
    itself or one of the citation messages under it (`chat_messages` lays them out); None for a
    question."""
    if isinstance(index, (list, tuple)):
        index = index[0]
    try:
        index = int(index)
    except (TypeError, ValueError):
        return None
    pos, k = 0, -1
    for m in conversation or []:
        if m.get("role") == "user":
            if pos == index:
                return None
            pos += 1
            continue
        k += 1
        span = 1 + len(m.get("citations") or [])
        if pos <= index < pos + span:
            return k
        pos += span
    return None


def vote_of(liked) -> str | None:
    """The stored vote for Gradio's like value: True 👍, False 👎, anything else (a second click
    takes the thumb back) none."""
    return "up" if liked is True else "down" if liked is False else None


def hide_reason():
    return gr.update(visible=False), None, gr.update(value=None), gr.update(value="")


def with_vote(conversation: list[dict], k: int, vote: str | None) -> list[dict]:
    """`conversation` with answer `k` marked 👍/👎 (saved with it, so it shows again when reopened)."""
    out, seen = [], -1
    for m in conversation:
        if m.get("role") == "assistant":
            seen += 1
            if seen == k:
                m = {**m, "vote": vote}
        out.append(m)
    return out


def on_like(conversation: list[dict] | None, data: gr.LikeData, request: gr.Request = None):
    """👍 / 👎 on an answer, stored against its log row and kept in the conversation; a 👎 opens the
    reason form for that row.

    Returns (reason form, the row the form is about, reason choice, comment, conversation, chatbot).
    The chatbot gets the votes as its feedback_value: the thumbs it draws otherwise fall back to
    that value whenever another event redraws the chatbot."""
    conversation = list(conversation or [])
    answers = answers_of(conversation)
    k = answer_at(conversation, data.index)
    log_id = answers[k].get("log_id") if k is not None and k < len(answers) else None
    if log_id is None:
        gr.Warning("问答记录已关闭，评价未保存" if not state.RECORDS.enabled else "这条回答没有记录，评价未保存")
        return *hide_reason(), gr.skip(), gr.update(feedback_value=feedback_of(conversation))
    vote = vote_of(data.liked)
    try:
        set_feedback(state.RECORDS, log_id, vote, user=getattr(request, "username", None))
    except RecordsError as e:
        gr.Warning(f"评价未保存：{e}")
        return *hide_reason(), gr.skip(), gr.update(feedback_value=feedback_of(conversation))
    conversation = with_vote(conversation, k, vote)
    shown = gr.update(feedback_value=feedback_of(conversation))
    if vote == "down":
        return gr.update(visible=True), log_id, gr.update(value=None), gr.update(value=""), conversation, shown
    if vote == "up":
        gr.Info("已记录：👍 有帮助")
    return *hide_reason(), conversation, shown


def submit_reason(log_id: int | None, reason: str | None, comment: str | None, request: gr.Request = None):
    """The reason (and free text) of a 👎, stored with it; the form closes."""
    if log_id is None:
        return hide_reason()
    if reason not in REASONS:
        gr.Warning("请选择一个原因")
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    try:
        set_feedback(state.RECORDS, int(log_id), "down", reason=reason, comment=comment,
                     user=getattr(request, "username", None))
    except (RecordsError, TypeError, ValueError) as e:
        gr.Warning(f"原因未保存：{e}")
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    gr.Info("已记录：👎 " + reason)
    return hide_reason()
