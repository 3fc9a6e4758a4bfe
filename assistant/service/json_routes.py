"""The JSON routes: what the CLI does (ask, retrieve, show, outline, owner, targets, quiz) and the
library's documents, each naming its document with `doc` (default: the primary plan) or its documents
with `docs`. Registered on the service's FastAPI app by http.create_app; errors are ApiErrors, which it
turns into the OpenAI shape: an unknown document is a 400 (a bad argument), an unknown ref a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from pydantic import BaseModel

from ..api import MAX_K
from ..documents.refs import UnknownRef
from ..errors import LibraryError
from ..quiz import KINDS, MAX_QUESTIONS, QuizError, generate_quiz
from . import documents
from .openai_format import ApiError, BadRequest, Message, split_messages


class AskRequest(BaseModel):
    """POST /api/ask: the question, the earlier turns (as chat messages) and the documents to ask over."""

    question: str
    history: list[Message] = []
    docs: list[str] | None = None


def question_param(question: str) -> str:
    if not question.strip():
        raise ApiError(400, "问题为空：请给出要查询的问题", "invalid_request", "question")
    return question


def library_call(fn, *args, param: str = "doc"):
    """A library lookup with its errors in the API's shape: an unknown document (named by `param`) is
    a 400, an unknown ref a 404."""
    try:
        return fn(*args)
    except documents.UnknownDocument as e:
        raise ApiError(400, str(e), "unknown_document", param) from e
    except UnknownRef as e:
        raise ApiError(404, str(e), "unknown_ref", "chapter" if fn is documents.targets else "ref") from e
    except LibraryError as e:  # the manifest itself: the operator's to fix
        raise ApiError(500, str(e), "library_unreadable") from e


def register(app, core, loaded, answer) -> None:
    """The routes over `core`; `loaded()` is the loaded Assistant (or a 503); `answer(request, assistant,
    question, history, docs)` answers and logs one question as the chat route does."""

    @app.post("/api/ask")
    def ask(body: AskRequest, request: Request):
        try:
            question, history = split_messages([*body.history, Message(role="user", content=body.question)])
        except BadRequest as e:
            raise ApiError(400, "问题为空：请给出要查询的问题", "invalid_request", "question") from e
        assistant = loaded()
        docs = library_call(documents.check_documents, assistant.library, body.docs, param="docs")
        a = answer(request, assistant, question, history, docs)
        return {"question": question, "answer": a.text, "refused": a.refused, "mode": a.mode, "notice": a.notice,
                "refs": [c.ref for c in a.citations], "citations": [c.to_json() for c in a.citations]}

    @app.get("/api/retrieve")
    def retrieve(question: str, k: int = Query(5, ge=1, le=MAX_K), doc: Annotated[list[str] | None, Query()] = None):
        assistant = loaded()
        docs = library_call(documents.check_documents, assistant.library, doc)
        hits = assistant.retrieve(question_param(question), k=k, docs=docs)
        return {"question": question, "hits": [h.to_json() for h in hits]}

    @app.get("/api/show/{ref}")
    def show(ref: str, doc: str | None = None):
        node = library_call(documents.node, core, ref, doc)
        return {"ref": node.ref, "title": node.title, "text": node.full_text()}

    @app.get("/api/outline")
    def outline(doc: str | None = None):
        return library_call(documents.outline, core, doc)

    @app.get("/api/library")
    def library():
        return {"documents": library_call(documents.entries, core)}

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
    def targets(chapter: str | None = None, doc: str | None = None):
        return {"chapter": chapter, "targets": library_call(documents.targets, core, doc, chapter)}

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
