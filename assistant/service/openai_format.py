"""The OpenAI chat API's shapes, both ways: a request's `messages` -> (question, history), an
`Answer` -> a `chat.completion` or `chat.completion.chunk`s, and the error body every client parses.

The reply's content is the answer text with its [ref] markers; the citations travel in an extra
top-level field, `citations`, which standard clients ignore (the Python client keeps it:
`completion.model_extra["citations"]`). `usage` is an estimate (`estimate_tokens`): an answer is
plan text, mostly written by no model at all, so there is no tokenizer to count with.

    >>> split_messages([{"role": "user", "content": "电力装机目标是多少？"},
    ...                 {"role": "assistant", "content": "……[专栏2]"},
    ...                 {"role": "user", "content": [{"type": "text", "text": "那新能源呢？"}]}])
    ('那新能源呢？', [{'role': 'user', 'content': '电力装机目标是多少？'}, {'role': 'assistant', 'content': '……[专栏2]'}])
"""

from __future__ import annotations

import math
import re
import time
import uuid

from pydantic import BaseModel, ConfigDict, Field

from ..types import Answer

MODEL = "plan-assistant"  # the configured mode (LLM when an endpoint is configured)
EXTRACTIVE_MODEL = "plan-assistant-extractive"  # never calls an LLM
MODELS = (MODEL, EXTRACTIVE_MODEL)
HISTORY_ROLES = ("user", "assistant")  # system / developer / tool messages do not steer the answer


class ApiError(Exception):
    """An error a route answers with: its HTTP status and the OpenAI error body's fields."""

    def __init__(self, status: int, message: str, code: str | None = None, param: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param


class BadRequest(ValueError):
    """A request the API cannot answer as it stands (400); the message says what to change."""

    def __init__(self, message: str, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.param, self.code = param, code


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict] | None = None


class ChatRequest(BaseModel):
    """What we read of a chat request; other fields (temperature, max_tokens…) are accepted and
    ignored, as an answer is plan text whatever they say."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    n: int | None = None  # how many choices: only 1 (the default) is served
    docs: list[str] | None = None  # library ids or labels to answer over (default: the scope the question names)


def message_text(content) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, list):
        return "".join(str(p.get("text") or "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return str(content or "")


def split_messages(messages: list) -> tuple[str, list[dict]]:
    """(question, history): the last message is the user's question, earlier user and assistant
    turns are the history. An assistant turn keeps the `citations` a client sent back with it."""
    turns = [m.model_dump() if isinstance(m, BaseModel) else dict(m) for m in messages]
    last = turns[-1]
    if last.get("role") != "user":
        raise BadRequest("最后一条消息应为用户的问题（role 为 user）", param="messages")
    question = message_text(last.get("content")).strip()
    if not question:
        raise BadRequest("问题为空：请在最后一条 user 消息中给出问题", param="messages")
    history = []
    for t in turns[:-1]:
        if t.get("role") not in HISTORY_ROLES:
            continue
        turn = {"role": t["role"], "content": message_text(t.get("content"))}
        if t["role"] == "assistant" and isinstance(t.get("citations"), list):
            turn["citations"] = [c for c in t["citations"] if isinstance(c, dict)]
        history.append(turn)
    return question, history


# one token each: Han characters, CJK and full-width punctuation, kana and hangul
_WIDE = re.compile(r"[\u1100-\u11ff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """Tokens as the usual tokenizers of Chinese-capable models count them, roughly: one per Chinese
    character or full-width punctuation mark, one per four other characters (spaces not counted),
    rounded up.

    >>> estimate_tokens("粮食产量超过840亿斤。"), estimate_tokens("hello world"), estimate_tokens("")
    (10, 3, 0)
    """
    wide = len(_WIDE.findall(text))
    other = sum(1 for ch in text if not ch.isspace()) - wide
    return wide + math.ceil(other / 4)


def usage(messages: list, answer: Answer) -> dict:
    """The OpenAI `usage` object, estimated: the prompt is every message the client sent."""
    turns = [m.model_dump() if isinstance(m, BaseModel) else dict(m) for m in messages]
    prompt = sum(estimate_tokens(message_text(t.get("content"))) for t in turns)
    completion_tokens = estimate_tokens(answer.text)
    return {"prompt_tokens": prompt, "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens}


def citations_json(answer: Answer) -> list[dict]:
    return [c.to_json() for c in answer.citations]


def answer_meta(answer: Answer) -> dict:
    """What else a client of ours may want: the mode, a refusal, a fallback notice."""
    return {"mode": answer.mode, "refused": answer.refused, "notice": answer.notice,
            "standalone_question": answer.standalone_question}


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def completion(answer: Answer, model: str, used: dict) -> dict:
    return {
        "id": completion_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text},
                     "finish_reason": "stop"}],
        "usage": used,
        "citations": citations_json(answer),
        "plan_assistant": answer_meta(answer),
    }


def chunk(cid: str, model: str, delta: dict, finish: str | None = None, **extra) -> dict:
    return {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


def last_chunk(cid: str, model: str, answer: Answer, used: dict) -> dict:
    """The closing chunk: no more text, finish_reason "stop", the usage and the citations."""
    return chunk(cid, model, {}, "stop", usage=used, citations=citations_json(answer),
                 plan_assistant=answer_meta(answer))


ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
               404: "not_found_error",
               405: "invalid_request_error", 413: "invalid_request_error", 503: "service_unavailable",
               500: "server_error"}


def error_body(status: int, message: str, code: str | None = None, param: str | None = None) -> dict:
    """{"error": {"message", "type", "param", "code"}}, the body every OpenAI client turns into its
    own exception (BadRequestError, AuthenticationError…)."""
    return {"error": {"message": message, "type": ERROR_TYPES.get(status, "invalid_request_error"),
                      "param": param, "code": code}}
