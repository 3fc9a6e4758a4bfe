"""`plan-assistant mcp`: the assistant as an MCP server over stdio (the official `mcp` SDK, extra
`mcp`). Tools return structured content that always names its refs; the outline is a resource.

    search_plan(question, k)        the best paragraphs, with ref, title, text, score
    show_paragraph(ref)             a section's text ("四（三）", "专栏2")
    answer(question)                the cited answer (text with [ref] markers, citations)
    task_owner(question)            the tasks a "…由哪个部门牵头？" question is about and who leads them
    list_targets(chapter)           the quantitative targets, all or under a chapter
    make_quiz(n, chapter, kind)     quiz questions, each with its answer and ref
    plan://outline                  the plan's tree of refs and titles (JSON)

stdout carries the protocol only: progress and logs go to stderr.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import anyio

try:  # mcp 2 renamed FastMCP to MCPServer; the decorators are the same
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
except ImportError:  # pragma: no cover - mcp 1.x
    from mcp.server.fastmcp import FastMCP as MCPServer
    from mcp.server.fastmcp.exceptions import ToolError

from ..api import MAX_K
from ..config import Config
from ..quiz import KINDS, QuizError, generate_quiz
from ..refs import UnknownRef
from .core import Core, NotReady

LOAD_WAIT = 900  # seconds a tool waits for the index (a first run builds it)
INSTRUCTIONS = ("对发展计划原文的引用式问答。每个结果都带引用（ref，如 四(三)、专栏2·新能源开发利用），"
                "可用 show_paragraph 打开引用的原文。")


def outline(core: Core) -> dict:
    def tree(node):
        return {"ref": node.ref, "title": node.title, "children": [tree(c) for c in node.children]}

    return {"title": core.doc.title, "outline": [tree(n) for n in core.doc.nodes]}


def build_server(core: Core) -> MCPServer:
    server = MCPServer("plan-assistant", instructions=INSTRUCTIONS)

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

    @server.tool()
    async def search_plan(question: str, k: int = 5) -> dict[str, Any]:
        """检索计划原文：返回最相关的段落（ref、标题、原文、得分）。"""
        question = question_of(question)
        hits = await in_thread(lambda: assistant().retrieve(question, k=max(1, min(int(k), MAX_K))))
        return {"question": question, "hits": [h.to_json() for h in hits]}

    @server.tool()
    async def show_paragraph(ref: str) -> dict[str, Any]:
        """按引用打开原文，如 四（三）、专栏2、专栏2·新能源开发利用、主要预期目标。"""
        try:
            node = core.doc.get(ref)
        except UnknownRef as e:
            raise ToolError(str(e)) from e
        return {"ref": node.ref, "title": node.title, "text": node.full_text()}

    @server.tool()
    async def answer(question: str) -> dict[str, Any]:
        """带引用的回答：每句后附出处 [ref]；计划未涉及的问题会被拒答并给出最接近的章节。"""
        question = question_of(question)
        a = await in_thread(lambda: assistant().ask(question))
        return {"question": question, "answer": a.text, "refused": a.refused, "mode": a.mode, "notice": a.notice,
                "refs": [c.ref for c in a.citations], "citations": [c.to_json() for c in a.citations]}

    @server.tool()
    async def task_owner(question: str, k: int = 3) -> dict[str, Any]:
        """某项任务由哪个部门牵头：相关任务（ref、任务原文）及牵头、配合单位和依据。"""
        from ..owners import owners_for
        from ..tasks import find_owner, owner_json

        question = question_of(question)

        def run():
            ledger = assistant().ledger
            return owner_json(question, find_owner(question, ledger, owners_for(ledger), k=max(1, min(int(k), 20))))

        return await in_thread(run)

    @server.tool()
    async def list_targets(chapter: str | None = None) -> dict[str, Any]:
        """计划中的量化目标（指标、目标值、单位、性质、ref），可限定篇章，如 四、专栏2。"""
        from ..targets import filter_targets, targets_json

        try:
            found = filter_targets(core.doc, core.targets, chapter or None)
        except UnknownRef as e:
            raise ToolError(str(e)) from e
        return {"chapter": chapter, "targets": json.loads(targets_json(found))}

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
        return json.dumps(outline(core), ensure_ascii=False)

    return server


def run(config: Config | None = None) -> int:
    """Serve one MCP client on stdin/stdout until it closes the connection."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    core = Core(config).start()  # load now, so the first question does not wait for all of it
    build_server(core).run("stdio")
    return 0
