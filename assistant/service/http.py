"""The HTTP service: the OpenAI chat API and plain JSON routes over one process's `Core`.

    POST /v1/chat/completions   {"model": "plan-assistant", "messages": [...], "stream": false}
    GET  /v1/models             plan-assistant, plan-assistant-extractive
    GET  /healthz               index loaded, embedder id, plan sha (503 until loaded)
    GET  /api/retrieve?question=…&k=5     GET /api/show/{ref}     GET /api/owner?question=…
    GET  /api/targets?chapter=四          GET /api/quiz?n=10&chapter=四&kind=fill&seed=7
    GET  /api/outline

Errors come in the OpenAI shape ({"error": {"message", "type", "param", "code"}}) with 400 for bad
input, 401 for a missing token, 404 for an unknown ref or model, 413 for an oversized body, 503 while
the index loads; never a stack trace. Routes are plain `def`s, which FastAPI runs in its thread pool,
and the chat route hands its answering to that pool, so a slow answer never holds up the event loop.
The service keeps no state between requests.
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..api import MAX_K
from ..quiz import KINDS, MAX_QUESTIONS, QuizError, generate_quiz
from ..refs import UnknownRef
from ..types import Answer
from .core import Core, NotReady
from .guard import Guard
from .openai_format import (
    EXTRACTIVE_MODEL,
    MODELS,
    BadRequest,
    ChatRequest,
    chunk,
    completion,
    completion_id,
    error_body,
    last_chunk,
    split_messages,
)

log = logging.getLogger("plan_assistant.service")


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, param: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param


def answer_chat(assistant, question: str, history: list[dict], records=None, user: str | None = None) -> Answer:
    """The chat route's one call into the Assistant, for streamed and plain replies alike; each
    answer is one row of the conversation log (under the API token's name)."""

    from ..records import log_answer

    started = time.perf_counter()
    answer = assistant.ask(question, history)
    if records is not None:
        log_answer(records, answer, latency_s=time.perf_counter() - started, history=history, user=user,
                   source="api", question=question)
    return answer


def _error(status: int, message: str, code: str | None = None, param: str | None = None,
           **headers: str) -> JSONResponse:
    return JSONResponse(error_body(status, message, code, param), status_code=status, headers=headers or None)


_WHY = {"too_short": "不能为空", "too_long": "过长", "greater_than": "太小", "less_than": "太大",
        "int": "应为整数", "bool": "应为 true 或 false", "string": "应为字符串", "list": "应为列表",
        "dict": "应为对象", "model": "应为对象"}


def _validation_message(errors: list[dict]) -> tuple[str, str | None]:
    """One line for the first problem: what is missing or wrong, and where."""
    first = (errors or [{}])[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    if first.get("type") == "json_invalid":
        return "请求体不是有效的 JSON", None
    if first.get("type") == "missing":
        return f"缺少参数 {where}", where or None
    kind = str(first.get("type", ""))
    why = next((text for prefix, text in _WHY.items() if kind.startswith(prefix)), "取值不符合要求")
    return (f"参数 {where} 无效：{why}" if where else f"请求体无效：{why}"), where or None


def parse_chat(raw: bytes) -> ChatRequest:
    try:
        return ChatRequest.model_validate_json(raw or b"{}")
    except ValidationError as e:
        message, param = _validation_message(e.errors())
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
        message, param = _validation_message(exc.errors())
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
        try:
            question, history = split_messages(body.messages)
        except BadRequest as e:
            raise ApiError(400, str(e), e.code or "invalid_request", e.param) from e
        assistant = loaded(extractive=body.model == EXTRACTIVE_MODEL)
        user = getattr(request.state, "token_name", None)
        if not body.stream:
            return completion(await run_in_threadpool(answer_chat, assistant, question, history, records(), user),
                              body.model)
        return StreamingResponse(stream(assistant, question, history, body.model, user), media_type="text/event-stream",
                                 headers={"cache-control": "no-cache", "x-accel-buffering": "no"})

    def stream(assistant, question: str, history: list[dict], model: str, user: str | None = None):
        """Server-sent chunks: the role at once, then the answer, then a closing chunk with the
        citations, then [DONE]. In LLM mode the model's text is checked before any of it is sent
        (a rejected answer falls back to the extractive one), so the stream carries the checked
        answer and never text it later has to take back."""
        cid = completion_id()
        yield _sse(chunk(cid, model, {"role": "assistant", "content": ""}))
        try:
            answer = answer_chat(assistant, question, history, records(), user)
        except Exception:
            log.exception("answering %r failed", question[:80])
            yield _sse(error_body(500, "回答失败：服务内部错误", "internal_error"))
            return
        yield _sse(chunk(cid, model, {"content": answer.text}))
        yield _sse(last_chunk(cid, model, answer))
        yield "data: [DONE]\n\n"

    # ---- health -----------------------------------------------------------------------------

    @app.get("/healthz")
    def healthz():
        health = core.health()
        return JSONResponse(health, status_code=200 if health["status"] == "ok" else 503)

    # ---- what the CLI does, as JSON ---------------------------------------------------------

    def question_param(question: str) -> str:
        if not question.strip():
            raise ApiError(400, "问题为空：请给出要查询的问题", "invalid_request", "question")
        return question

    @app.get("/api/retrieve")
    def retrieve(question: str, k: int = Query(5, ge=1, le=MAX_K)):
        hits = loaded().retrieve(question_param(question), k=k)
        return {"question": question, "hits": [h.to_json() for h in hits]}

    @app.get("/api/show/{ref}")
    def show(ref: str):
        try:
            node = core.doc.get(ref)
        except UnknownRef as e:
            raise ApiError(404, str(e), "unknown_ref", "ref") from e
        return {"ref": node.ref, "title": node.title, "text": node.full_text()}

    @app.get("/api/outline")
    def outline():
        def tree(node):
            return {"ref": node.ref, "title": node.title, "children": [tree(c) for c in node.children]}

        return {"title": core.doc.title, "outline": [tree(n) for n in core.doc.nodes]}

    @app.get("/api/owner")
    def owner(question: str, k: int = Query(3, ge=1, le=20)):
        from ..owners import owners_for
        from ..tasks import find_owner, owner_json

        ledger = loaded().ledger
        try:
            owners = owners_for(ledger)
        except ValueError as e:  # a damaged import file: the operator's to fix, said plainly
            raise ApiError(500, "已导入的分工数据无法读取，请重新导入分工方案", "owners_unreadable") from e
        return owner_json(question, find_owner(question_param(question), ledger, owners, k=k))

    @app.get("/api/targets")
    def targets(chapter: str | None = None):
        from ..targets import filter_targets, targets_json

        try:
            found = filter_targets(core.doc, core.targets, chapter)
        except UnknownRef as e:
            raise ApiError(404, str(e), "unknown_ref", "chapter") from e
        return {"chapter": chapter, "targets": json.loads(targets_json(found))}

    @app.get("/api/quiz")
    def quiz(n: int = Query(10, ge=1, le=MAX_QUESTIONS), chapter: str | None = None, kind: str | None = None,
             seed: int = 7, difficulty: int | None = Query(None, ge=1, le=3)):
        kinds = [k.strip() for k in kind.split(",") if k.strip()] if kind else None
        if kinds and set(kinds) - set(KINDS):
            raise ApiError(400, f"未知题型（可选：{'、'.join(KINDS)}）", "invalid_request", "kind")
        try:
            return generate_quiz(core.doc, n=n, chapter=chapter, kinds=kinds, seed=seed,
                                 difficulty=difficulty).to_json()
        except UnknownRef as e:
            raise ApiError(404, str(e), "unknown_ref", "chapter") from e
        except QuizError as e:
            raise ApiError(400, str(e), "invalid_request") from e

    return Guard(app, tokens, close_connections=siblings)
