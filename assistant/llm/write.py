"""LLM mode's two uses of the model within one answer's budget: the follow-up rewritten as a
standalone question, and the answer written from the Evidence paragraphs, streamed and then checked.
Any failure (endpoint down, slow, past the deadline, HTTP error, garbage, empty; the breaker open)
-> the rule-based rewrite / the extractive answer with a one-line notice, never an exception."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace

from ..retrieval.hybrid import Hit, normalize_query
from ..types import Answer, StreamEvent
from . import notices
from .budget import Budget
from .check import check
from .client import chat_model, failure_reason, invoke_text, load_prompt, stream_texts, system_text, within
from .support import strip_markup

log = logging.getLogger(__name__)

MAX_HISTORY_TURNS = 6
MAX_REWRITE_CHARS = 200


def format_sources(hits: list[Hit]) -> str:
    return "\n\n".join(f"[{h.ref}] {h.title}\n{h.text.strip()}" for h in hits)


def llm_stream(assistant, question: str, standalone: str, history: list[dict] | None, hits: list[Hit],
               extractive: Answer, sources: str | None = None, budget: Budget | None = None) -> Iterator[StreamEvent]:
    """Stream the model's answer (StreamEvent per chunk, markup already removed); the last event
    carries the checked Answer, or the extractive one with a notice when the model was skipped, failed
    or its answer did not pass. `sources`: the paragraphs the model answers from (the Evidence plan's),
    by default the hits; `budget`: the answer's deadline, shared with the follow-up rewrite."""
    def fallback(notice: str) -> StreamEvent:
        answer = replace(extractive, notice=notice)
        return StreamEvent(answer.text, answer)

    config = assistant.config
    budget = budget or Budget.start(config)
    skipped = budget.skipped()
    if skipped:
        yield fallback(skipped)
        return
    text = ""
    try:
        messages = load_prompt("answer").format_messages(sources=sources or format_sources(hits), question=standalone)
        model = chat_model(config)
        for piece in within(budget, lambda timeout: stream_texts(model, messages, min(timeout, config.llm_timeout))):
            text += piece
            yield StreamEvent(strip_markup(text))
    except Exception as exc:  # any failure of the endpoint means: answer without it
        log.warning("LLM endpoint failed: %r", exc)
        budget.fail()
        yield fallback(failure_reason(exc))
        return
    if not text.strip():
        budget.fail()
        yield fallback(notices.EMPTY)
        return
    budget.succeed()
    final, citations, notice = check(assistant.doc, text, hits, system_text("answer"))
    if notice:
        log.warning("LLM answer rejected (%s): %s", notice, text)
        yield fallback(notice)
        return
    yield StreamEvent(final, Answer(question, final, citations, refused=False, mode="llm", hits=hits,
                                    standalone_question=extractive.standalone_question))


def format_history(history: list[dict]) -> str:
    names = {"user": "用户", "assistant": "助手"}
    turns = [t for t in history if t.get("role") in names][-MAX_HISTORY_TURNS:]
    return "\n".join(f"{names[t['role']]}：{str(t.get('content', '')).strip()[:300]}" for t in turns)


def condense_with_llm(config, question: str, history: list[dict] | None, budget: Budget | None = None) -> str:
    """The follow-up rewritten by the model as a standalone question; the rule-based rewrite when
    there is no history, the model is skipped or fails, or it answers with something that is not
    one question. `budget`: the answer's deadline, which the answer itself then shares."""
    from ..chat import condense, last_user_question

    if not last_user_question(history):
        return question
    budget = budget or Budget.start(config)
    if budget.skipped():
        return condense(question, history)
    try:
        messages = load_prompt("condense").format_messages(history=format_history(history), question=question)
        model = chat_model(config, temperature=0.0)
        reply = "".join(within(budget, lambda timeout: invoke_text(model, messages, min(timeout, config.llm_timeout))))
    except Exception as exc:  # the rule-based rewrite is always available
        log.warning("LLM condense failed: %r", exc)
        budget.fail()
        return condense(question, history)
    budget.succeed()
    line = next((s.strip() for s in reply.splitlines() if s.strip()), "")
    line = re.sub(r"^(独立问题|改写后的问题|改写|问题)[:：]\s*", "", line).strip("“”\"'「」 ")
    if not line or len(line) > MAX_REWRITE_CHARS:
        return condense(question, history)
    return normalize_query(line)
