"""`plan-assistant mcp` through the MCP SDK's own stdio client: the server is a real subprocess on
the real plan and the session's index; every tool is listed and called, with good arguments and bad."""

from __future__ import annotations

import functools
import json
import subprocess
import sys

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from service_process import clean_env

TOOLS = {"search_plan", "show_paragraph", "answer", "task_owner", "list_targets", "make_quiz", "list_documents"}
LABEL = "2027内蒙古计划"
POWER_HISTORY = [{"role": "user", "content": "电力装机目标是多少？"},
                 {"role": "assistant", "content": "电力装机达到3.3亿千瓦 [专栏2·能源供应保障]。"}]


async def session_calls(index_dir, calls, **env):
    """Start the server, list its tools and resources, make each call; the results in order."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant", "mcp"],
                                   env=clean_env(index_dir, **env))
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
        ("answer", {"question": "那新能源呢？", "history": POWER_HISTORY}),
        ("search_plan", {"question": "稀土产业有哪些举措", "k": 99}),
        ("search_plan", {"question": "稀土产业有哪些举措", "k": "many"}),
        ("answer", {"question": 123}),
        ("answer", {"question": "那新能源呢？", "history": [{"role": "robot", "content": "?"}]}),
        ("task_owner", {"question": "防沙治沙任务由哪个部门牵头？", "k": 0}),
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
    k_too_big, k_not_a_number, question_a_number, bad_turn, k_zero, unknown_ref, bad_kind = mcp_run[3][7:]
    texts = [r.content[0].text for r in mcp_run[3][7:]]
    assert all(r.is_error for r in mcp_run[3][7:])
    assert texts[:5] == ["参数 k 无效：不能大于 50", "参数 k 无效：应为整数", "参数 question 无效：应为字符串",
                         "参数 history 第 1 项无效：每项应有 role（user 或 assistant）和文本 content",
                         "参数 k 无效：不能小于 1"]
    assert texts[5].startswith("未找到引用“四（九）”") and texts[6].startswith("未知题型")
    assert not any("Error executing" in t or "validation" in t for t in texts)  # one Chinese line each


def test_answer_takes_the_history_of_a_follow_up(mcp_run, assistant):
    follow = mcp_run[3][6].structured_content
    assert "新增新能源并网装机3000万千瓦" in follow["answer"] and "专栏2·新能源开发利用" in follow["refs"]
    assert follow["answer"] == assistant.ask("那新能源呢？", POWER_HISTORY).text


def test_each_answer_is_one_row_of_the_log(mcp_run, assistant):
    from assistant.config import Config
    from assistant.records import Records, log_rows

    index_dir = assistant.config.index_path
    records = Records.open(Config.load(index_dir=str(index_dir),
                                       log_path=str(index_dir.resolve().parent / "records.sqlite3")))
    rows = [r for r in log_rows(records) if r["source"] == "mcp"]
    assert [(r["question"], r["history_len"]) for r in rows] == [("粮食产量目标是多少？", 0), ("那新能源呢？", 2)]
    assert "粮食产量超过840亿斤" in rows[0]["answer"] and rows[0]["user"] is None


def test_without_the_mcp_package_the_command_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['mcp'] = None\n"  # as if the extra were not installed
            "from assistant.cli import main; sys.exit(main(['mcp']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(tmp_path))
    assert done.returncode == 2
    assert "pip install 'plan-assistant[mcp]'" in done.stderr and "Traceback" not in done.stderr


# ---- the library: a 2027 plan beside the bundled one (conftest.library_data) ---------------------

@pytest.fixture(scope="module")
def library_run(assistant, library_data):
    calls = [
        ("list_documents", {}),
        ("answer", {"question": "粮食产量目标是多少？", "docs": ["d1"]}),
        ("answer", {"question": "2026年的地区生产总值增长目标是多少，2027年计划呢？"}),
        ("search_plan", {"question": "稀土产业有哪些举措", "k": 3, "docs": [LABEL]}),
        ("show_paragraph", {"ref": f"{LABEL}·四（三）"}),
        ("show_paragraph", {"ref": "主要预期目标", "doc": "d1"}),
        ("list_targets", {"chapter": "专栏二", "doc": "d1"}),
        ("answer", {"question": "粮食产量目标是多少？", "docs": ["d9"]}),
        ("show_paragraph", {"ref": "四(三)", "doc": "d9"}),
        ("list_targets", {"doc": "d1", "chapter": "五"}),
        ("search_plan", {"question": "稀土", "docs": "d1"}),
    ]
    run = functools.partial(session_calls, PLAN_ASSISTANT_DATA_DIR=str(library_data))
    return anyio.run(run, assistant.config.index_path, calls)[3]


def test_list_documents_names_the_library(library_run):
    docs = library_run[0].structured_content["documents"]
    assert [(d["id"], d["label"], d["year"], d["primary"]) for d in docs] == [
        ("plan", "2026内蒙古计划", 2026, True), ("d1", LABEL, 2027, False)]


def test_answer_and_search_over_chosen_documents_cite_them_by_document(library_run):
    chosen, named, search = (r.structured_content for r in library_run[1:4])
    assert "超过850亿斤" in chosen["answer"] and chosen["refs"] == [f"{LABEL}·主要预期目标"]
    assert set(named["refs"]) == {"主要预期目标", f"{LABEL}·主要预期目标"}  # the years the question names
    assert f"5.5%左右 [{LABEL}·主要预期目标]" in named["answer"]
    assert search["hits"][0]["ref"] == f"{LABEL}·四(三)" and all(h["ref"].startswith(LABEL) for h in search["hits"])


def test_show_and_targets_of_another_document(library_run, assistant):
    qualified, by_doc, targets = (r.structured_content for r in library_run[4:7])
    assert qualified == {"ref": f"{LABEL}·四(三)", "title": "加强矿产资源开发利用",
                         "text": assistant.doc.get("四(三)").full_text()}
    assert by_doc["ref"] == f"{LABEL}·主要预期目标" and "超过850亿斤" in by_doc["text"]
    assert targets["targets"] and all(t["ref"].startswith(f"{LABEL}·专栏2") for t in targets["targets"])


def test_unknown_documents_are_tool_errors_in_chinese(library_run):
    results = library_run[7:]
    assert all(r.is_error for r in results)
    texts = [r.content[0].text for r in results]
    assert texts[0].startswith("文库中没有“d9”") and texts[1].startswith("文库中没有“d9”")
    assert texts[2].startswith(f"未找到引用“{LABEL}·五”") and texts[3] == "参数 docs 无效：应为列表"
