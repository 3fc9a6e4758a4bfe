"""`plan-assistant mcp`: the assistant as an MCP server over stdio (the official `mcp` SDK, extra
`mcp`). Tools return structured content that always names its refs; the outline is a resource.

    search_plan(question, k, docs)  the best paragraphs, with ref, title, text, score
    show_paragraph(ref, doc)        a section's text ("四（三）", "专栏2", "2025内蒙古政府工作报告·二(三)")
    answer(question, history, docs) the cited answer (text with [ref] markers, citations); logged
    task_owner(question)            the tasks a "…由哪个部门牵头？" question is about and who leads them
    list_targets(chapter, doc)      the quantitative targets, all or under a chapter
    make_quiz(n, chapter, kind)     quiz questions, each with its answer and ref
    list_documents()                the library: the primary plan and the documents added beside it
    plan://outline                  the plan's tree of refs and titles (JSON)

`docs` (library ids or labels) answers or searches over those documents instead of the scope the
question names; `doc` names the document of a ref or chapter (default: the primary plan).

Each answer is one row of the conversation log (source "mcp"), as with the HTTP service. Bad
arguments (a wrong type, `k` out of range) are tool errors with one Chinese line, the same words as
the HTTP service's 400, never pydantic's English. stdout carries the protocol only: progress and
logs go to stderr.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Annotated, Any

import anyio
from pydantic import Field, ValidationError

try:  # mcp 2 renamed FastMCP to MCPServer; the decorators are the same
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
except ImportError:  # pragma: no cover - mcp 1.x
    from mcp.server.fastmcp import FastMCP as MCPServer
    from mcp.server.fastmcp.exceptions import ToolError

from ..api import MAX_K
from ..config import Config
from ..documents.refs import UnknownRef
from ..errors import LibraryError
from ..quiz import KINDS, QuizError, generate_quiz
from . import documents
from .core import Core, NotReady, cut_notice
from .invalid import invalid_message

LOAD_WAIT = 900  # seconds a tool waits for the index (a first run builds it)
MAX_OWNER_K = 20
HISTORY_ROLES = ("user", "assistant")
INSTRUCTIONS = ("对发展计划原文的引用式问答。每个结果都带引用（ref，如 四(三)、专栏2·新能源开发利用；文库中其他文件的"
                "引用带文件名，如 2025内蒙古政府工作报告·二(三)），可用 show_paragraph 打开引用的原文；"
                "list_documents 列出文库中的文件，docs / doc 参数指定文件。")
Docs = Annotated[list[str] | None, Field(description="文库中文件的编号或名称（list_documents），默认按问题所指")]
Doc = Annotated[str | None, Field(description="文库中一份文件的编号或名称，默认为主文件（计划本身）")]


def library_call(fn, *args):
    """A library lookup with its errors as one Chinese line each."""
    try:
        return fn(*args)
    except (LibraryError, UnknownRef) as e:
        raise ToolError(str(e)) from e


class PlanServer(MCPServer):
    """The SDK's server with our words for a failed call: the SDK puts "Error executing tool NAME: "
    before every message, and pydantic's English validation text for a bad argument."""

    async def call_tool(self, name: str, arguments: dict[str, Any], *args, **kwargs):
        try:
            return await super().call_tool(name, arguments, *args, **kwargs)
        except ToolError as e:
            if isinstance(e.__cause__, ValidationError):
                raise ToolError(invalid_message(e.__cause__.errors())[0]) from None
            if type(e) is ToolError and isinstance(e.__cause__, ToolError):  # ours, raised in a tool
                raise ToolError(str(e.__cause__)) from None
            raise


def history_of(history: list[dict] | None) -> list[dict]:
    """The earlier turns as the Assistant takes them; ToolError for a turn that is not one."""
    turns = []
    for number, turn in enumerate(history or [], 1):
        if turn.get("role") not in HISTORY_ROLES or not isinstance(turn.get("content"), str):
            raise ToolError(f"参数 history 第 {number} 项无效：每项应有 role（user 或 assistant）和文本 content")
        turns.append(turn)
    return turns


def build_server(core: Core, records=None) -> MCPServer:
    """The tools over `core`; each answer is logged to `records` (none: the configured log)."""
    from ..records import Records, log_answer

    server = PlanServer("plan-assistant", instructions=INSTRUCTIONS)
    records = records if records is not None else Records.open(core.config)

    def assistant():
        try:
            return core.assistant(wait=LOAD_WAIT)
        except NotReady as e:
            raise ToolError(str(e)) from e

    def question_of(question: str) -> str:
        if not str(question or "").strip():
            raise ToolError("问题为空：请给出要查询的问题")
        return question

    async def in_thread(fn, *args):  # the core is synchronous; keep the protocol loop free
        return await anyio.to_thread.run_sync(fn, *args)

    def chosen(docs: list[str] | None) -> list[str] | None:
        return library_call(documents.check_documents, assistant().library, docs)

    @server.tool()
    async def search_plan(question: str, k: Annotated[int, Field(ge=1, le=MAX_K)] = 5,
                          docs: Docs = None) -> dict[str, Any]:
        """检索计划原文：返回最相关的段落（ref、标题、原文、得分）；docs 指定在文库中哪些文件里检索。"""
        question = question_of(question)
        hits = await in_thread(lambda: assistant().retrieve(question, k=k, docs=chosen(docs)))
        return {"question": question, "hits": [h.to_json() for h in hits]}

    @server.tool()
    async def show_paragraph(ref: str, doc: Doc = None) -> dict[str, Any]:
        """按引用打开原文，如 四（三）、专栏2、专栏2·新能源开发利用、主要预期目标；文库中其他文件的引用带文件名
        （2025内蒙古政府工作报告·二(三)），或以 doc 指定文件。"""
        node = library_call(documents.node, core, ref, doc)
        return {"ref": node.ref, "title": node.title, "text": node.full_text()}

    @server.tool()
    async def answer(question: str, history: list[dict] | None = None, docs: Docs = None) -> dict[str, Any]:
        """带引用的回答：每句后附出处 [ref]；计划未涉及的问题会被拒答并给出最接近的章节。
        history 为此前的对话（[{"role": "user"/"assistant", "content": …}]），用于“那新能源呢？”之类的追问；
        docs 指定在文库中哪些文件里回答（默认按问题所指：问题提到的年份、地区，否则主文件）。"""
        question, turns = question_of(question), history_of(history)

        def run():
            started = time.perf_counter()
            a = cut_notice(question, assistant().ask(question, turns, docs=chosen(docs)))
            log_answer(records, a, latency_s=time.perf_counter() - started, history=turns, source="mcp",
                       question=question)
            return a

        a = await in_thread(run)
        return {"question": question, "answer": a.text, "refused": a.refused, "mode": a.mode, "notice": a.notice,
                "refs": [c.ref for c in a.citations], "citations": [c.to_json() for c in a.citations]}

    @server.tool()
    async def task_owner(question: str, k: Annotated[int, Field(ge=1, le=MAX_OWNER_K)] = 3) -> dict[str, Any]:
        """某项任务由哪个部门牵头：相关任务（ref、任务原文）及牵头、配合单位和依据。"""
        from ..owners import owners_for
        from ..tasks import find_owner, owner_json

        question = question_of(question)

        def run():
            ledger = assistant().ledger
            return owner_json(question, find_owner(question, ledger, owners_for(ledger), k=k))

        return await in_thread(run)

    @server.tool()
    async def list_targets(chapter: str | None = None, doc: Doc = None) -> dict[str, Any]:
        """计划中的量化目标（指标、目标值、单位、性质、ref），可限定篇章，如 四、专栏2；doc 指定文库中的文件。"""
        return {"chapter": chapter, "targets": library_call(documents.targets, core, doc, chapter or None)}

    @server.tool()
    async def list_documents() -> dict[str, Any]:
        """文库中的文件：主文件（计划本身）和加入的其他文件（编号 id、名称 label、标题、地区、年份、类型）。"""
        return {"documents": library_call(documents.entries, core)}

    @server.tool()
    async def make_quiz(n: int = 5, chapter: str | None = None, kind: str | None = None, seed: int = 7) -> dict[str, Any]:
        """根据原文出测验题（fill 填空、choice 单选、truefalse 判断、where 出处），每题带答案和 ref。"""
        kinds = [k.strip() for k in kind.split(",") if k.strip()] if kind else None
        if kinds and set(kinds) - set(KINDS):
            raise ToolError(f"未知题型（可选：{'、'.join(KINDS)}）")
        try:
            return generate_quiz(core.doc, n=int(n), chapter=chapter or None, kinds=kinds, seed=int(seed)).to_json()
        except (QuizError, UnknownRef) as e:
            raise ToolError(str(e)) from e

    @server.resource("plan://outline", name="outline", description="计划的目录树（ref 与标题）",
                     mime_type="application/json")
    def plan_outline() -> str:
        return json.dumps(documents.outline(core), ensure_ascii=False)

    return server


def run(config: Config | None = None) -> int:
    """Serve one MCP client on stdin/stdout until it closes the connection."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    core = Core(config).start()  # load now, so the first question does not wait for all of it
    build_server(core).run("stdio")
    return 0
