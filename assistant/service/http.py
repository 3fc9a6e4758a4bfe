"""The HTTP service: the OpenAI chat API and plain JSON routes over one process's `Core`.

    POST /v1/chat/completions   {"model": "plan-assistant", "messages": [...], "stream": false, "docs": [...]}
    GET  /v1/models             plan-assistant, plan-assistant-extractive
    GET  /healthz               index loaded, embedder id, plan sha (503 until loaded)
    GET  /api/retrieve?question=…&k=5     GET /api/show/{ref}     GET /api/owner?question=…
    GET  /api/targets?chapter=四          GET /api/quiz?n=10&chapter=四&kind=fill&seed=7
    GET  /api/outline                     GET /api/library

`docs` (library ids or labels) answers over those documents instead of the scope the question names;
`doc` on retrieve (repeatable), show, targets and outline names the document (default: the primary
plan); a qualified ref (2025内蒙古政府工作报告·二(三)) needs none.

Errors come in the OpenAI shape ({"error": {"message", "type", "param", "code"}}) with 400 for bad
input (an unknown document in `docs` too), 401 for a missing token, 403 for a foreign Host or Origin
without tokens (guard.py), 404 for an unknown ref, model or `doc`, 413 for an oversized body, 503 while
the index loads; never a stack trace. Routes are plain `def`s, which FastAPI runs in its thread pool,
and the chat route hands its answering to that pool, so a slow answer never holds up the event loop.
The service keeps no state between requests.
"""

from __future__ import annotations

import json
import logging
import re
import time
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import LibraryError
from ..types import Answer
from . import documents, json_routes
from .core import Core, NotReady, cut_notice
from .guard import Guard
from .invalid import invalid_message
from .openai_format import (
    EXTRACTIVE_MODEL,
    MODELS,
    ApiError,
    BadRequest,
    ChatRequest,
    chunk,
    completion,
    completion_id,
    error_body,
    last_chunk,
    split_messages,
    usage,
)

log = logging.getLogger("plan_assistant.service")


def answer_chat(assistant, question: str, history: list[dict], records=None, user: str | None = None,
                request_id: str | None = None, docs: list[str] | None = None) -> Answer:
    """The chat route's one call into the Assistant, for streamed and plain replies alike; each
    answer is one row of the conversation log (under the API token's name), one per `request_id`."""

    from ..records import log_answer

    started = time.perf_counter()
    answer = cut_notice(question, assistant.ask(question, history, docs=docs))
    if records is not None:
        log_answer(records, answer, latency_s=time.perf_counter() - started, history=history, user=user,
                   source="api", question=question, request_id=request_id)
    return answer


REQUEST_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def request_key(headers, user: str | None) -> str | None:
    """The caller's key of this request: its Idempotency-Key (kept by a client across its own retries),
    else a proxy's X-Request-Id (kept by nginx across the upstreams it tries); per token name, so that
    two callers' keys never meet. None without one, or for one that is not 1–200 visible ASCII characters.

    >>> request_key({"idempotency-key": "q-17", "x-request-id": "ab12"}, "oa"), request_key({}, None)
    ('oa:q-17', None)
    """
    key = headers.get("idempotency-key") or headers.get("x-request-id")
    return f"{user or ''}:{key}" if key and REQUEST_KEY.match(key) else None


def _error(status: int, message: str, code: str | None = None, param: str | None = None,
           **headers: str) -> JSONResponse:
    return JSONResponse(error_body(status, message, code, param), status_code=status, headers=headers or None)


def parse_chat(raw: bytes) -> ChatRequest:
    try:
        return ChatRequest.model_validate_json(raw or b"{}")
    except ValidationError as e:
        message, param = invalid_message(e.errors())
        raise ApiError(400, message, "invalid_request", param) from e


def _sse(obj) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"


def create_app(core: Core | None = None, tokens: dict[str, str] | None = None, siblings: bool = False) -> Guard:
    """The ASGI app for one worker process: the FastAPI routes behind the Guard. `tokens`
    (token -> name) switches on bearer auth. A worker with `siblings` takes no connection before
    its index is loaded (they answer meanwhile; alone, it answers 503 until then) and closes each
    connection after its response, so that requests spread over the workers."""
    core = core or Core()
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app):
        core.start()
        if siblings:
            await anyio.to_thread.run_sync(core.wait_loaded)
        yield

    app = FastAPI(title="计划助手 API", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.core = core

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        retry = {"retry-after": "2"} if exc.status == 503 else {}
        return _error(exc.status, exc.message, exc.code, exc.param, **retry)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        message, param = invalid_message(exc.errors())
        return _error(400, message, "invalid_request", param)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "没有这个接口", 405: "该接口不支持此请求方法"}
        return _error(exc.status_code, messages.get(exc.status_code, "请求无法处理"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("%s %s failed", request.method, request.url.path)
        return _error(500, "服务内部错误，请稍后再试", "internal_error")

    def loaded(extractive: bool = False):
        try:
            return core.assistant(extractive=extractive)
        except NotReady as e:
            raise ApiError(503, str(e), "index_loading") from e

    # ---- OpenAI chat API --------------------------------------------------------------------

    @app.get("/v1/models")
    def models():
        created = int(time.time())
        return {"object": "list", "data": [{"id": m, "object": "model", "created": created,
                                            "owned_by": "plan-assistant"} for m in MODELS]}

    def records():
        """The conversation log of this worker, opened on first use (off with PLAN_ASSISTANT_LOG=off)."""
        if "records" not in state:
            from ..records import Records

            state["records"] = Records.open(core.config)
        return state["records"]

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        body = parse_chat(await request.body())  # JSON whatever the content type says (curl -d)
        if body.model not in MODELS:
            raise ApiError(404, f"没有模型“{body.model}”（可用：{'、'.join(MODELS)}）", "model_not_found", "model")
        if body.n not in (None, 1):  # one answer per question: the plan's text does not vary between tries
            raise ApiError(400, f"参数 n 只能为 1（每个问题给出一个回答），而不是 {body.n}", "invalid_request", "n")
        try:
            question, history = split_messages(body.messages)
        except BadRequest as e:
            raise ApiError(400, str(e), e.code or "invalid_request", e.param) from e
        assistant = loaded(extractive=body.model == EXTRACTIVE_MODEL)
        user = getattr(request.state, "token_name", None)
        try:
            docs = documents.check_documents(assistant.library, body.docs)
        except LibraryError as e:
            raise ApiError(400, str(e), "unknown_document", "docs") from e
        key = request_key(request.headers, user)
        if not body.stream:
            answer = await run_in_threadpool(answer_chat, assistant, question, history, records(), user, key, docs)
            return completion(answer, body.model, usage(body.messages, answer))
        return StreamingResponse(stream(assistant, question, history, body, user, key, docs),
                                 media_type="text/event-stream",
                                 headers={"cache-control": "no-cache", "x-accel-buffering": "no"})

    def stream(assistant, question: str, history: list[dict], body: ChatRequest, user: str | None = None,
               key: str | None = None, docs: list[str] | None = None):
        """Server-sent chunks: the role at once, then the answer, then a closing chunk with the
        citations, then [DONE]. In LLM mode the model's text is checked before any of it is sent
        (a rejected answer falls back to the extractive one), so the stream carries the checked
        answer and never text it later has to take back."""
        cid, model = completion_id(), body.model
        yield _sse(chunk(cid, model, {"role": "assistant", "content": ""}))
        try:
            answer = answer_chat(assistant, question, history, records(), user, key, docs)
        except Exception:
            log.exception("answering %r failed", question[:80])
            yield _sse(error_body(500, "回答失败：服务内部错误", "internal_error"))
            return
        yield _sse(chunk(cid, model, {"content": answer.text}))
        yield _sse(last_chunk(cid, model, answer, usage(body.messages, answer)))
        yield "data: [DONE]\n\n"

    # ---- health -----------------------------------------------------------------------------

    @app.get("/healthz")
    def healthz():
        health = core.health()
        return JSONResponse(health, status_code=200 if health["status"] == "ok" else 503)

    def answer_json(request: Request, assistant, question: str, history: list[dict], docs: list[str] | None):
        user = getattr(request.state, "token_name", None)
        return answer_chat(assistant, question, history, records(), user, request_key(request.headers, user), docs)

    json_routes.register(app, core, loaded, answer_json)

    return Guard(app, tokens, close_connections=siblings)
