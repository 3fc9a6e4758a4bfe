"""`plan-assistant mcp` through the MCP SDK's own stdio client: the server is a real subprocess on
the real plan and the session's index; every tool is listed and called once."""

from __future__ import annotations

import json
import subprocess
import sys

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from service_process import clean_env

TOOLS = {"search_plan", "show_paragraph", "answer", "task_owner", "list_targets", "make_quiz"}


async def session_calls(index_dir, calls):
    """Start the server, list its tools and resources, make each call; the results in order."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant", "mcp"], env=clean_env(index_dir))
    with open(index_dir.parent / "mcp-stderr.log", "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            resources = (await session.list_resources()).resources
            outline = await session.read_resource("plan://outline")
            results = [await session.call_tool(name, args, read_timeout_seconds=600) for name, args in calls]
    return tools, resources, outline, results


@pytest.fixture(scope="module")
def mcp_run(assistant):
    calls = [
        ("show_paragraph", {"ref": "四（三）"}),
        ("search_plan", {"question": "稀土产业有哪些举措", "k": 3}),
        ("answer", {"question": "粮食产量目标是多少？"}),
        ("task_owner", {"question": "防沙治沙任务由哪个部门牵头？"}),
        ("list_targets", {"chapter": "专栏2"}),
        ("make_quiz", {"n": 3, "kind": "fill"}),
        ("show_paragraph", {"ref": "四（九）"}),
        ("make_quiz", {"n": 3, "kind": "essay"}),
    ]
    return anyio.run(session_calls, assistant.config.index_path, calls)


def test_lists_every_tool_and_the_outline_resource(mcp_run, assistant):
    tools, resources, outline, _ = mcp_run
    assert {t.name for t in tools} == TOOLS
    assert all(t.description and t.output_schema for t in tools)  # structured content, described in Chinese
    assert [str(r.uri) for r in resources] == ["plan://outline"]
    tree = json.loads(outline.contents[0].text)
    assert [n["ref"] for n in tree["outline"]] == [n.ref for n in assistant.doc.nodes]


def test_show_paragraph_returns_the_section_text(mcp_run, assistant):
    shown = mcp_run[3][0]
    assert not shown.is_error
    assert shown.structured_content == {"ref": "四(三)", "title": "加强矿产资源开发利用",
                                        "text": assistant.doc.get("四(三)").full_text()}


def test_each_tool_returns_structured_content_with_refs(mcp_run, assistant):
    _, search, answer, owner, targets, quiz, *_ = mcp_run[3]
    assert [h["ref"] for h in search.structured_content["hits"]] == \
        [h.ref for h in assistant.retrieve("稀土产业有哪些举措", k=3)]
    a = answer.structured_content
    assert "粮食产量超过840亿斤" in a["answer"] and a["refs"] == ["主要预期目标"] and a["refused"] is False
    task = owner.structured_content["tasks"][0]
    assert task["ref"] == "专栏1·“三北”工程攻坚战" and task["lead"] == ["自治区林业和草原局"]
    assert {t["ref"] for t in targets.structured_content["targets"]} <= {n.ref for n in assistant.doc.walk()
                                                                         if n.ref.startswith("专栏2")}
    questions = quiz.structured_content["questions"]
    assert len(questions) == 3 and all(q["kind"] == "fill" and q["ref"] for q in questions)


def test_bad_arguments_are_tool_errors_in_chinese(mcp_run):
    unknown_ref, bad_kind = mcp_run[3][-2:]
    assert unknown_ref.is_error and "未找到引用“四（九）”" in unknown_ref.content[0].text
    assert bad_kind.is_error and "未知题型" in bad_kind.content[0].text


def test_without_the_mcp_package_the_command_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['mcp'] = None\n"  # as if the extra were not installed
            "from assistant.cli import main; sys.exit(main(['mcp']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(tmp_path))
    assert done.returncode == 2
    assert "pip install 'plan-assistant[mcp]'" in done.stderr and "Traceback" not in done.stderr
