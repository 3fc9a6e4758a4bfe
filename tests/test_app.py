"""The web app without a browser: the formatting helpers of the assistant.web tabs on the real plan,
and their Gradio callbacks called as plain functions against the real Assistant."""

import csv
import dataclasses
import io
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest

from assistant.documents.targets import extract_targets
from assistant.types import Citation
from assistant.web import chat as chat_tab
from assistant.web import html, quiz, source, state
from assistant.web import targets as targets_tab
from assistant.web import tasks as tasks_tab

ROOT = Path(__file__).resolve().parent.parent
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def app():
    sys.path.insert(0, str(ROOT))
    import app as module

    return module


@pytest.fixture(scope="module")
def assistant(app):
    return state.get_assistant()


CHIEF = gr.Request(username="chief")  # an admin of the accounts `admins` sets up


@pytest.fixture(autouse=True)
def admins(monkeypatch):
    """The app's login accounts: chief, an admin, and reviewer, a user (the 分工方案 import is for admins)."""
    from assistant.accounts import Account

    monkeypatch.setattr(state, "ACCOUNTS", {"chief": Account("chief", "scrypt:1:1:1:AA==:AA==", "admin"),
                                            "reviewer": Account("reviewer", "scrypt:1:1:1:AA==:AA==", "user")})


def last(gen):
    *_, out = gen
    return out


# ---- formatters ------------------------------------------------------------------------------

def test_highlight_marks_and_escapes():
    assert html.highlight("a<b>粮食产量超过840亿斤；c", ["粮食产量超过840亿斤；"]) == \
        "a&lt;b&gt;<mark>粮食产量超过840亿斤；</mark>c"
    # overlapping and adjacent needles become one mark; line breaks survive as <br>
    assert html.highlight("甲乙丙丁\n戊", ["甲乙", "乙丙", "丙丁"]) == "<mark>甲乙丙丁</mark><br>戊"
    assert html.highlight("Rare Earth", ["rare"], ignore_case=True) == "<mark>Rare</mark> Earth"
    assert html.highlight("x", ["", "  "]) == "x"


def test_user_text_is_never_markup():
    shown = html.user_markdown(XSS)
    assert "<" not in shown and ">" not in shown
    assert html.user_markdown("**粗体** [链接](http://x) $x$") == r"\*\*粗体\*\* \[链接\]\(http://x\) \$x\$"
    assert "<img" not in html.answer_markdown(XSS)
    assert html.answer_markdown("- 一条\n- 两条") == "- 一条\n- 两条"  # the answer's own bullets stay


def test_citation_html_opens_to_the_paragraph_with_the_quote_marked(doc):
    node = doc.get("四(三)")
    quote = "设立稀土产业基金"
    sentence = next(s for s in node.text.split("。") if quote in s) + "。"
    html_ = chat_tab.citation_html(Citation(node.ref, node.title, node.text, (sentence,)), open_=True)
    assert html_.startswith('<details class="cite" data-ref="四(三)" open><summary><span class="cite-ref">[四(三)]</span> 加强矿产资源开发利用')
    assert f"<mark>{sentence}</mark>" in html_
    hostile = chat_tab.citation_html(Citation("x", XSS, XSS, (XSS,)))
    assert "<script" not in hostile and "<img" not in hostile and "&lt;script&gt;" in hostile


def answered(question: str, text: str, citations=(), **extra) -> list[dict]:
    return [{"role": "user", "content": question},
            {"role": "assistant", "content": text, "citations": list(citations), "mode": "extractive", **extra}]


def test_sources_panel_holds_every_answer_and_shows_one(doc):
    assert "提问后" in chat_tab.sources_html([])
    notice = "大模型服务不可用（超时），已改用原文摘录"
    first = {"ref": "四(三)", "title": doc.get("四(三)").title, "text": doc.get("四(三)").text, "quotes": []}
    second = {"ref": "主要预期目标", "title": "主要预期目标", "text": doc.get("主要预期目标").text, "quotes": []}
    conversation = answered("稀土？", "……[四(三)]", [first]) + answered("粮食？", "……", [second], notice=notice)
    panel = chat_tab.sources_html(conversation)
    assert panel.count('<section class="turn-sources') == 2
    assert '<section class="turn-sources shown" data-answer="1"' in panel  # the latest, until another is picked
    assert '<section class="turn-sources" data-answer="0"' in panel and 'data-ref="四(三)"' in panel
    assert f"注意：{notice}" in panel and 'data-mode="原文摘录"' in panel
    assert '<section class="turn-sources shown" data-answer="0"' in chat_tab.sources_html(conversation, current=0)


def test_ref_label():
    assert html.ref_label("四(三)", "加强矿产资源开发利用") == "[四(三)] 加强矿产资源开发利用"
    assert html.ref_label("总体要求", "总体要求") == "[总体要求]"
    assert html.ref_label("专栏2·新能源开发利用", "新能源开发利用") == "[专栏2·新能源开发利用]"


def test_outline_choices_cover_every_node_in_reading_order(doc):
    choices = source.outline_choices(doc)
    assert [ref for _, ref in choices] == [n.ref for n in doc.walk()]
    labels = dict((ref, label) for label, ref in choices)
    assert labels["四"] == "[四] 大力发展现代能源经济，建设国家重要能源和战略资源基地"
    assert labels["四(三)"] == "　[四(三)] 加强矿产资源开发利用"
    assert labels["专栏2·新能源开发利用"] == "　　[专栏2·新能源开发利用]"


def test_column_is_a_table_of_area_and_targets(doc):
    html_ = source.node_html(doc.get("专栏2"))
    assert html_.count('<tr><th scope="row">') == 2
    assert '<th scope="row">能源供应保障</th>' in html_ and '<th scope="row">新能源开发利用</th>' in html_
    assert "700万千瓦新型储能项目" in html_
    # a part shows its sections and its 专栏 (as a table) under headings
    part = source.node_html(doc.get("四"))
    assert "<h4>[四(三)] 加强矿产资源开发利用</h4>" in part and '<table class="column">' in part


def test_search_plan_lists_matching_sentences(doc):
    hits = source.search_plan(doc, "稀土")
    assert hits and all("稀土" in s for _, _, s in hits)
    assert "四(三)" in {ref for ref, _, _ in hits}
    assert source.search_plan(doc, "  ") == [] and source.search_plan(doc, "不存在的词语") == []
    choices = source.search_choices(hits)
    assert len({ref for _, ref in choices}) == len(choices)  # one entry per ref
    assert source.node_html(doc.get("四(三)"), ["稀土"]).count("<mark>稀土</mark>") == \
        doc.get("四(三)").full_text().count("稀土")


def test_target_rows_and_chapter_counts(doc):
    targets = extract_targets(doc)
    rows = targets_tab.target_rows(targets)
    assert ["煤炭产量", "12.5", "亿吨", "以上", "四(一)"] in [r[:5] for r in rows]
    counts = targets_tab.targets_per_chapter(doc, targets)
    assert sum(n for _, n in counts) == len(targets)
    assert counts[0] == ("主要预期目标", sum(t.ref == "主要预期目标" for t in targets))
    assert [ref for _, ref in html.chapter_choices(doc)][:3] == ["", "总体要求", "主要预期目标"]


# ---- callbacks ---------------------------------------------------------------------------

def test_import_builds_the_demo_without_loading_or_serving():
    code = "import app, os; assert not app.assistant_ready(); assert app.demo.analytics_enabled is False; " \
           "assert os.environ['GRADIO_ANALYTICS_ENABLED'] == 'False'; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")


def test_demo_settings(app):
    assert app.demo._queue.max_size == 256 and app.demo._queue.default_concurrency_limit == 4
    public = {fn.api_name for fn in app.demo.fns.values() if fn.api_visibility == "public"}
    assert public == {"chat", "show", "search", "targets", "tasks"}
    chatbots = [b for b in app.demo.blocks.values() if isinstance(b, gr.Chatbot)]
    assert chatbots and all(c.sanitize_html for c in chatbots)


def test_the_assistant_loads_once_for_concurrent_first_callers(app, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from assistant.api import Assistant

    real_load, calls = Assistant.load.__func__, []

    def counting_load(cls, *args, **kwargs):
        calls.append(1)
        return real_load(cls, *args, **kwargs)

    monkeypatch.setattr(state, "_assistant", None)
    monkeypatch.setattr(Assistant, "load", classmethod(counting_load))
    with ThreadPoolExecutor(6) as pool:
        loaded = list(pool.map(lambda _: state.get_assistant(), range(6)))
    assert len(calls) == 1 and all(a is loaded[0] for a in loaded)


def test_concurrent_questions_get_the_same_answers_as_one_at_a_time(app, assistant):
    from concurrent.futures import ThreadPoolExecutor

    questions = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "煤炭产量目标是多少？", "养老服务有哪些举措？"] * 2
    alone = [assistant.ask(q).text for q in questions]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda q: last(chat_tab.respond(q, []))[2][1]["content"], questions))
    assert together == alone


def test_each_answered_question_is_one_row_of_the_log(app, assistant):
    from concurrent.futures import ThreadPoolExecutor

    from assistant.records import log_rows

    assert state.RECORDS.enabled and state.RECORDS.path.name == "records.sqlite3"
    last_id = max([r["id"] for r in log_rows(state.RECORDS)], default=0)
    questions = ["粮食产量目标是多少？", "明天呼和浩特天气怎么样？", "煤炭产量目标是多少？", XSS] * 3
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda q: last(chat_tab.respond(q, [])), questions))
    list(chat_tab.respond("   ", []))  # nothing asked, nothing logged
    first = last(chat_tab.respond("煤炭产量目标是多少？", []))
    last(chat_tab.respond("天然气呢？", first[2]))
    new = [r for r in log_rows(state.RECORDS) if r["id"] > last_id]
    assert sorted(r["question"] for r in new) == sorted(questions + ["煤炭产量目标是多少？", "天然气呢？"])
    assert all(r["source"] == "web" and r["user"] is None for r in new)
    assert [r["history_len"] for r in new[-2:]] == [0, 2]  # the earlier question and answer
    assert {r["refused"] for r in new if r["question"] == "明天呼和浩特天气怎么样？"} == {True}
    assert next(r for r in new if r["question"] == XSS)["question"] == XSS  # stored as asked


def test_respond_streams_then_answers_with_citations(app, assistant):
    outputs = list(chat_tab.respond("粮食产量目标是多少？", []))
    textbox, chat, turns, sources, status, report = outputs[0]
    assert textbox == "" and chat[-1]["metadata"]["status"] == "pending"  # the question shows at once
    textbox, chat, turns, sources, status, report = outputs[-1]
    answer = assistant.ask("粮食产量目标是多少？")
    assert chat[1]["content"].startswith(html.answer_markdown(answer.text))
    assert chat[1]["content"] == html.answer_markdown(answer.text)  # the mode is a badge, not copied text
    assert '<span class="mode-badge">原文摘录</span>' in status
    assert "<" not in chat[1]["content"]  # the chatbot's copy button copies this string verbatim
    assert chat[2]["metadata"]["title"] == "出处 [主要预期目标]"
    assert "<mark>粮食产量超过840亿斤；</mark>" in chat[2]["content"]
    assert "<mark>粮食产量超过840亿斤；</mark>" in sources and "<details" in sources
    assert report == answer.plain_text()
    assert turns == chat_tab.messages_of("粮食产量目标是多少？", answer, turns[1]["log_id"])
    assert isinstance(turns[1]["log_id"], int)  # its row of the log
    # the conversation is the core's history format; answers keep their citations
    assert turns[1]["citations"][0]["ref"] == "主要预期目标"
    assert chat_tab.history_of(turns)[1] == {"role": "assistant", "content": answer.text, "citations": [
        {k: c.to_json()[k] for k in ("ref", "title", "text")} for c in answer.citations]}


def test_follow_up_uses_the_history(app, assistant):
    first = last(chat_tab.respond("煤炭产量目标是多少？", []))
    turns = first[2]
    second = last(chat_tab.respond("天然气呢？", turns))
    assert len(second[2]) == 4
    expected = assistant.ask("天然气呢？", chat_tab.history_of(turns))
    assert second[2][3]["content"] == expected.text
    assert second[3].count('<section class="turn-sources') == 2  # both answers' sources, the latest shown
    assert [m["role"] for m in second[1] if not m.get("metadata")] == ["user", "assistant"] * 2


def test_hostile_question_is_kept_raw_for_the_core_and_escaped_for_the_page(app, assistant):
    textbox, chat, turns, *_ = last(chat_tab.respond(XSS, []))
    assert turns[0]["content"] == XSS
    assert chat[0]["content"] == html.user_markdown(XSS) and "<" not in chat[0]["content"]


def test_empty_question_changes_nothing_and_says_so(app):
    with pytest.warns(UserWarning, match="请先输入问题"):
        (outputs,) = list(chat_tab.respond("   ", []))
    assert all(isinstance(o, type(gr.skip())) for o in outputs)


def test_a_question_over_the_limit_is_answered_with_a_notice(app, assistant):
    from assistant.api import MAX_QUESTION_CHARS

    assert chat_tab.MAX_QUESTION_CHARS == MAX_QUESTION_CHARS
    long = "稀土产业有哪些举措？" * 250
    with pytest.warns(UserWarning, match=f"问题有 {len(long)} 字，超过 2000 字"):
        outputs = last(chat_tab.respond(long, []))
    assert "稀土" in outputs[2][1]["content"]


def test_new_chat_clears_everything(app):
    textbox, chatbot, *rest = chat_tab.new_chat()
    assert (textbox, chatbot["value"], chatbot["feedback_value"]) == ("", [], [])  # no 👍/👎 left over either
    assert rest == [[], chat_tab.sources_html([]), "", "", None]  # no current conversation id


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket closes


def test_llm_failure_shows_a_notice_and_falls_back(app, assistant, monkeypatch):
    config = dataclasses.replace(assistant.config, llm_base_url=f"http://127.0.0.1:{closed_port()}/v1",
                                 llm_timeout=5.0)
    monkeypatch.setattr(state, "_assistant", dataclasses.replace(assistant, config=config))
    textbox, chat, turns, sources, status, report = last(chat_tab.respond("粮食产量目标是多少？", []))
    assert turns[1]["mode"] == "extractive" and turns[1]["notice"]
    assert "注意：" in status and turns[1]["notice"] in status
    assert f"注意：{turns[1]['notice']}" in sources
    assert f"注意：{turns[1]['notice']}" in chat[1]["content"]
    assert "840亿斤" in chat[1]["content"]


def test_llm_answer_streams_into_the_chat(app, assistant, monkeypatch):
    from fake_openai import FakeOpenAI

    with FakeOpenAI() as server:
        server.script("根据计划，2026年粮食产量超过840亿斤 [主要预期目标]。")
        config = dataclasses.replace(assistant.config, llm_base_url=server.url + "/v1", llm_model="fake",
                                     llm_timeout=5.0)
        monkeypatch.setattr(state, "_assistant", dataclasses.replace(assistant, config=config))
        outputs = list(chat_tab.respond("粮食产量目标是多少？", []))
    partial = [o[1][-1]["content"] for o in outputs[1:-1]]
    assert len(partial) > 3 and partial[0] != partial[-1]  # the answer grows in the chat
    assert all(isinstance(o[2], type(gr.skip())) for o in outputs[1:-1])  # turns change only at the end
    textbox, chat, turns, sources, status, report = outputs[-1]
    assert turns[1]["mode"] == "llm" and "大模型生成" in status and "大模型生成" not in chat[1]["content"]
    assert 'data-mode="大模型生成"' in sources
    assert "<mark>粮食产量超过840亿斤；</mark>" in sources


def test_open_section_and_search(app):
    assert "加强矿产资源开发利用" in source.open_section("四（三）")
    assert "<mark>稀土</mark>" in source.open_section("四(三)", "稀土")
    for ref in (None, "", "四(九)"):
        with pytest.raises(gr.Error):
            source.open_section(ref)
    assert source.open_match("四(三)", "稀土") == ("四(三)", source.open_section("四(三)", "稀土"))
    update, line, section = source.search("稀土")
    assert ("四(三)" in [ref for _, ref in update["choices"]]) and "稀土" in line
    assert isinstance(section, type(gr.skip()))  # the section changes when a match is opened
    update, line, section = source.search("不存在的词语")
    assert update["choices"] == [] and "没有" in line
    assert "<mark>" not in section and "原文中没有“不存在的词语”" in section  # no earlier paragraph stays


def test_targets_table_filter_and_exports(app, doc):
    from openpyxl import load_workbook

    table, path, xlsx, md, line, chart, cards = targets_tab.show_targets("四")
    assert list(table.columns) == targets_tab.TARGET_HEADERS
    assert len(table) > 0 and set(table["引用"]) <= {"四", "四(一)", "四(二)", "四(三)", "专栏2",
                                                     "专栏2·能源供应保障", "专栏2·新能源开发利用"}
    assert f"**{len(table)}**" in line
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(table) and rows[0]["指标"] == table.iloc[0]["指标"]  # the table's headers
    sheet = [list(r) for r in load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True)]
    assert sheet[0] == targets_tab.TARGET_HEADERS and len(sheet) == len(table) + 1
    markdown = Path(md).read_text(encoding="utf-8")
    assert "| 指标 | 数值 | 单位 | 类型 | 引用 | 原文 |" in markdown and "| 煤炭产量 | 12.5 | 亿吨 |" in markdown
    assert cards.count('class="card"') == len(table)
    everything, *_ = targets_tab.show_targets("")
    assert len(everything) == len(extract_targets(doc))


def test_targets_chart_follows_the_filter(doc):
    chart = targets_tab.chart_html("")
    # every chapter by its title, not a bare numeral
    assert "[四] 大力发展现代能源经济" in chart and chart.count('class="bar-row"') == len(
        targets_tab.targets_per_chapter(doc, extract_targets(doc)))
    energy = targets_tab.chart_html("专栏2")
    assert 'data-chart="专栏2"' in energy and "[专栏2]" in energy
    # grouped by kind of figure, each bar with its value and unit; 亿千瓦时 beside 亿千瓦时, % apart
    assert "总量与规模（单位：千瓦时）" in energy and "9100亿千瓦时" in energy and "3000亿千瓦时（力争、超过）" in energy
    assert energy.count('class="bar-row"') == len(targets_tab.chosen("专栏2"))
    assert "增速与比例（单位：%）" in targets_tab.chart_html("主要预期目标")


def test_indicator_names_say_what_is_measured(doc):
    targets = extract_targets(doc)
    names = [targets_tab.NAMES[t.id] for t in targets]
    assert len(set(names)) == len(names)  # no two targets share a name
    assert "发电量（能源供应保障）" in names and "发电量（新能源开发利用）" in names
    assert "新能源并网装机总规模" in names and "林草产业产值" in names
    assert "育肥牛出栏数" in names and "育肥羊出栏数" in names
    kinds = {targets_tab.kind_label(t) for t in targets}
    assert "" not in kinds and {"任务量", "目标值"} <= kinds
    coal = next(t for t in targets if t.indicator == "原油产量")
    assert targets_tab.kind_label(coal) == "目标值"  # 原油产量达到335万吨: a level, no qualifier


def test_targets_filter_offers_only_chapters_with_targets(doc):
    refs = [ref for _, ref in targets_tab.target_chapter_choices(doc, extract_targets(doc))]
    assert refs[0] == "" and "总体要求" not in refs and "一" not in refs and "十四" not in refs
    assert all(targets_tab.chosen(ref) for ref in refs[1:])


# ---- 任务: the task ledger and its owners ------------------------------------------------------------

def task_ids(table) -> list[str]:
    return list(table["编号"])


def test_department_choices_accept_short_names_and_chapters_hold_tasks(doc):
    from assistant.owners import load_departments
    from assistant.tasks import build_ledger

    choices = dict((value, label) for label, value in tasks_tab.department_choices(load_departments()))
    assert choices[""] == "全部部门"
    # typing a short name in the dropdown's filter finds the department
    assert choices["自治区林业和草原局"] == "自治区林业和草原局（林草局、林业草原局）"
    assert choices["自治区发展和改革委员会"] == "自治区发展和改革委员会（发改委、发展改革委）"
    refs = [ref for _, ref in tasks_tab.task_chapter_choices(doc, build_ledger(doc))]
    assert refs[:3] == ["", "主要预期目标", "一"] and "总体要求" not in refs  # 总体要求 states no tasks
    assert "四" in refs and "专栏2" in refs


def test_tasks_filter_by_department_chapter_and_text(app, doc):
    from assistant.owners import owners_for
    from assistant.tasks import build_ledger, filter_tasks

    ledger = build_ledger(doc)
    owners = owners_for(ledger)
    table, _, _, line, _ = tasks_tab.show_tasks("", "", "")
    assert list(table.columns) == tasks_tab.TASK_HEADERS and len(table) == len(ledger) > 500
    assert f"**{len(ledger)}**" in line
    row = table[table["编号"] == "主要预期目标-06"].iloc[0]
    assert (row["引用"], row["任务"], row["指标"]) == ("主要预期目标", "粮食产量超过840亿斤", "840亿斤")

    forest, _, _, line, _ = tasks_tab.show_tasks("自治区林业和草原局", "", "")
    assert task_ids(forest) == [t.id for t in ledger if "自治区林业和草原局" in owners[t.id].lead + owners[t.id].co]
    assert "专栏1·“三北”工程攻坚战-01" in task_ids(forest) and "自治区林业和草原局牵头或配合" in line
    short, _, _, _, _ = tasks_tab.show_tasks("林草局", "", "")  # a short name typed into the dropdown
    assert task_ids(short) == task_ids(forest)

    part, _, _, _, _ = tasks_tab.show_tasks("", "四", "")
    assert task_ids(part) == [t.id for t in filter_tasks(ledger, "四")]
    assert {r.split("-")[0].split("·")[0].split("(")[0] for r in part["编号"]} == {"四", "专栏2"}
    both, _, _, _, _ = tasks_tab.show_tasks("林草局", "二", "")
    assert 0 < len(both) < len(forest) and set(task_ids(both)) <= set(task_ids(forest))

    rare, _, _, _, _ = tasks_tab.show_tasks("", "", "稀土")
    assert len(rare) > 3 and all("稀土" in text for text in rare["任务"])
    assert task_ids(tasks_tab.show_tasks("", "", "林草局")[0]) == task_ids(forest)  # a short name in the search box
    assert len(tasks_tab.show_tasks("", "", "不存在的词语")[0]) == 0
    with pytest.raises(gr.Error, match="部门名录中没有"):
        tasks_tab.show_tasks("不存在的厅", "", "")


def test_task_exports_are_csv_and_xlsx_of_the_filtered_rows(app):
    from openpyxl import load_workbook

    from assistant.commands.tasks import COLUMNS

    table, csv_path, xlsx_path, _, _ = tasks_tab.show_tasks("林草局", "", "")
    assert Path(csv_path).name == "2026计划任务台账-自治区林业和草原局.csv" and xlsx_path.endswith(".xlsx")
    raw = Path(csv_path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS and [r[0] for r in rows[1:]] == task_ids(table)
    sheet = load_workbook(xlsx_path, read_only=True).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(cells[0]) == COLUMNS and [r[0] for r in cells[1:]] == task_ids(table)
    assert [r[3] for r in cells[1:]] == list(table["任务"]) and {r[6] for r in cells[1:]} >= {"自治区林业和草原局"}
    # the same filter again gives the same files; another filter other files
    assert tasks_tab.show_tasks("林草局", "", "")[1] == csv_path
    assert tasks_tab.show_tasks("林草局", "二", "")[1] != csv_path


def test_import_official_table_reports_bad_rows_and_changes_the_basis(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    before, _, _, _, _ = tasks_tab.show_tasks("", "", "840亿斤")
    assert list(before["依据"]) == ["依据部门职能推断"]
    table = tmp_path / "分工方案.csv"
    table.write_text("任务,牵头单位,配合单位\n"
                     "粮食产量超过840亿斤,粮食和物资储备局,农牧厅\n"
                     "计划里没有的一项任务内容,发改委,\n"
                     f"设立稀土产业基金,{XSS},\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="1 行有误已跳过：第3行"):  # the toast gr.Warning shows
        report, _, after, csv_path, _, line, _ = tasks_tab.import_owners(str(table), "", "", "840亿斤", CHIEF)
    assert "导入 <b>2</b> 行" in report and "第3行：未在计划中找到任务" in report
    assert "<script" not in report and "&lt;script&gt;" in report  # the unknown name, warned about, as text
    row = after.iloc[0]
    assert (row["牵头单位"], row["配合单位"], row["依据"]) == ("自治区粮食和物资储备局", "自治区农牧厅", "依据分工方案")
    assert "其中 1 条依据分工方案" in line
    assert "依据分工方案" in Path(csv_path).read_text(encoding="utf-8-sig")
    assert (tmp_path / "data" / "official_owners.json").exists()
    # the rest of the ledger keeps its suggestions; a later view (another session) sees the import
    everything, _, _, line, _ = tasks_tab.show_tasks("", "", "")
    assert (everything["依据"] == "依据分工方案").sum() == 2 and "其中 2 条依据分工方案" in line
    grain, _, _, _, _ = tasks_tab.show_tasks("粮储局", "", "")
    assert "主要预期目标-06" in task_ids(grain)


def test_only_an_admin_may_import_an_official_table(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    table = tmp_path / "分工方案.csv"
    table.write_text("任务,牵头单位\n粮食产量超过840亿斤,粮储局\n", encoding="utf-8")
    for request in (gr.Request(username="reviewer"), gr.Request(username="stranger"), None):
        with pytest.raises(gr.Error, match="需要管理员权限"):
            tasks_tab.import_owners(str(table), "", "", "", request)
    monkeypatch.setattr(state, "ACCOUNTS", None)  # no login: nobody, unless local admin is on for this machine
    with pytest.raises(gr.Error, match="需要管理员权限"):
        tasks_tab.import_owners(str(table), "", "", "", gr.Request())
    assert not (tmp_path / "data" / "official_owners.json").exists()


def test_import_that_imports_nothing_keeps_the_old_table(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    bad = tmp_path / "bad.csv"
    bad.write_text("任务,牵头单位\n粮食产量超过840亿斤,\n", encoding="utf-8")
    with pytest.warns(UserWarning) as toasts:
        report, *_ = tasks_tab.import_owners(str(bad), "", "", "", CHIEF)
    assert [str(w.message) for w in toasts] == ["没有可导入的行，原有分工未改动", "1 行有误已跳过：第2行"]
    assert "没有可导入的行" in report and "第2行：缺少牵头单位" in report
    assert not (tmp_path / "data" / "official_owners.json").exists()
    no_header = tmp_path / "no-header.csv"
    no_header.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.warns(UserWarning):
        assert "第1行：表头需要" in tasks_tab.import_owners(str(no_header), "", "", "", CHIEF)[0]
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.warns(UserWarning, match="不支持的文件类型 .pdf"):
        report, *rest = tasks_tab.import_owners(str(pdf), "", "", "", CHIEF)
    assert "不支持的文件类型 .pdf" in report and all(isinstance(o, type(gr.skip())) for o in rest[1:])
    assert all(isinstance(o, type(gr.skip())) for o in tasks_tab.import_owners(None, "", "", "", CHIEF))


BAD_FILES = {  # name -> (content, what the message says)
    "random.csv": (bytes(range(256)) * 40, "编码"),
    "utf16-nohead.csv": ("甲,乙\n1,2\n".encode("utf-16"), "表头需要"),
    "empty.csv": (b"", "文件是空的"),
    "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "旧版 Excel（.xls）"),
    "fake.xlsx": (b"PK\x03\x04 not really a workbook", "不是有效的 Excel"),
    "nul.csv": (b"\x00\x01\x02,\x00\n" * 50, "不是文本表格"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_import_is_one_chinese_line_and_keeps_the_table(app, tmp_path, monkeypatch, name):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    content, says = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.warns(UserWarning) as toasts:
        report, upload, *kept = tasks_tab.import_owners(str(path), "", "", "", CHIEF)
    assert says in report
    if "表头需要" not in says and "文件是空的" not in says:  # unreadable: one line, the table untouched
        assert f"未导入《{name}》" in report and all(isinstance(o, type(gr.skip())) for o in kept)
    shown = report + " ".join(str(w.message) for w in toasts)
    assert "Error" not in shown and "Traceback" not in shown and str(tmp_path) not in shown
    assert not (tmp_path / "data" / "official_owners.json").exists()


def test_import_reads_every_encoding_excel_saves(app, tmp_path, monkeypatch):
    from openpyxl import Workbook

    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    text = "任务,牵头单位\n粮食产量超过840亿斤,粮储局\n"
    files = {"gbk.csv": text.encode("gbk"), "utf8.csv": text.encode("utf-8"),
             "utf8-bom.csv": text.encode("utf-8-sig"), "utf16.csv": text.encode("utf-16")}
    for name, raw in files.items():
        (tmp_path / name).write_bytes(raw)
    wb = Workbook()
    wb.active.append(["任务", "牵头单位"])
    wb.active.append(["粮食产量超过840亿斤", "粮储局"])
    wb.save(tmp_path / "table.xlsx")
    for name in [*files, "table.xlsx"]:
        report, _, table, *_ = tasks_tab.import_owners(str(tmp_path / name), "", "", "840亿斤", CHIEF)
        assert "导入 <b>1</b> 行" in report, name
        assert table.iloc[0]["牵头单位"] == "自治区粮食和物资储备局"


def test_a_50_mb_import_is_refused_with_a_message(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:
        f.write(b"\xe4\xbb\xbb\xe5\x8a\xa1,\xe7\x89\xb5\xe5\xa4\xb4\xe5\x8d\x95\xe4\xbd\x8d\n")
        f.truncate(50 * 1024 * 1024)
    with pytest.warns(UserWarning, match="文件有 50.0 MB"):
        report, _, *kept = tasks_tab.import_owners(str(big), "", "", "", CHIEF)
    assert "超过 5 MB" in report and all(isinstance(o, type(gr.skip())) for o in kept)


def test_every_task_has_a_deadline_cell(app):
    table, *_ = tasks_tab.show_tasks("", "", "")
    deadlines = dict(zip(table["编号"], table["时限"], strict=True))
    assert deadlines["二(三)-17"] == "汛期前"
    assert deadlines["九(二)-07"] == "上半年、3月底前、下半年、8月底前"
    assert deadlines["主要预期目标-06"] == "计划未写明"
    assert "" not in set(deadlines.values())


def test_damaged_import_file_is_a_message(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path))
    (tmp_path / "official_owners.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(gr.Error, match="无法读取已导入的分工数据"):
        tasks_tab.show_tasks("", "", "")
    table, _, _, line, _ = tasks_tab.initial_tasks()  # the app still starts
    assert len(table) == 0 and "无法读取" in line


# ---- 测验: the quiz ---------------------------------------------------------------------------------

def quiz_slots(out, app):
    """The per-slot updates of make_quiz's output: (box, prompt, radio, textbox, feedback) each."""
    flat = out[6:]
    assert len(flat) == quiz.SLOT_OUTPUTS * quiz.QUIZ_SLOTS
    return [flat[i : i + quiz.SLOT_OUTPUTS] for i in range(0, len(flat), quiz.SLOT_OUTPUTS)]


def responses(app, questions, pick):
    """(radio values, textbox values) with pick(question) as the answer in the question's widget."""
    radios, texts = [None] * quiz.QUIZ_SLOTS, [""] * quiz.QUIZ_SLOTS
    for i, q in enumerate(questions):
        (texts if q["kind"] == "fill" else radios)[i] = pick(q)
    return radios + texts


def test_quiz_generate_shows_each_question_in_its_widget(app):
    out = quiz.make_quiz("", [], 8, 0, 7)
    state, status, export, files, submit, score = out[:6]
    questions = state["questions"]
    assert len(questions) == 8 and "**8**" in status and score == ""
    assert export["visible"] and submit["visible"] and len(files) == 4
    assert {q["kind"] for q in questions} == {"fill", "choice", "truefalse", "where"}
    slots = quiz_slots(out, app)
    for i, (box, prompt, radio, text, feedback) in enumerate(slots):
        if i >= len(questions):
            assert box["visible"] is False
            continue
        q = questions[i]
        assert box["visible"] and html.esc(q["prompt"]) in prompt and feedback == ""
        assert radio["visible"] == (q["kind"] != "fill") and text["visible"] == (q["kind"] == "fill")
        if q["kind"] in ("choice", "where"):
            assert [v for _, v in radio["choices"]] == q["choices"]
            assert radio["choices"][0][0].startswith("A. ")
    # the same options give the same quiz; another seed another one
    assert quiz.make_quiz("", [], 8, 0, 7)[0] == state
    assert quiz.make_quiz("", [], 8, 0, 8)[0] != state
    assert "试卷编号 **7**" in status and "随机种子" not in status


def test_each_press_without_a_paper_number_makes_a_new_paper(app):
    papers = [quiz.make_quiz("", [], 8, 0, "")[0] for _ in range(3)]
    assert len({p["seed"] for p in papers}) == 3 and papers[0]["questions"] != papers[1]["questions"]
    again = quiz.make_quiz("", [], 8, 0, str(papers[1]["seed"]))[0]  # the number typed in: the same paper
    assert again == papers[1]


def test_quiz_all_right_is_a_full_score(app):
    out = quiz.make_quiz("", [], quiz.QUIZ_SLOTS, 0, 11)
    questions = out[0]["questions"]
    assert len(questions) == quiz.QUIZ_SLOTS
    score, _, *feedback = quiz.submit_quiz(out[0], *responses(app, questions, lambda q: q["answer"]))
    assert f"<b>{quiz.QUIZ_SLOTS}</b> / {quiz.QUIZ_SLOTS}（100%）" in score
    assert all("✓ 回答正确" in f for f in feedback)
    # each result names the source: the explanation (a quote of the plan) and the ref
    q = questions[0]
    assert html.esc(q["explanation"]) in feedback[0] and f"出处：[{q['ref']}]" in feedback[0]


def test_quiz_wrong_and_missing_answers_lower_the_score(app):
    out = quiz.make_quiz("四", ["fill", "choice", "truefalse"], 9, 0, 3)
    questions = out[0]["questions"]
    assert all(q["ref"].startswith(("四", "专栏2")) for q in questions)

    def wrong(q):
        if q["kind"] == "fill":
            return "1"
        return next(c for c in q["choices"] if c != q["answer"])

    score, _, *feedback = quiz.submit_quiz(out[0], *responses(app, questions, wrong))
    assert f"<b>0</b> / {len(questions)}（0%）" in score
    assert all("✗ 回答错误" in f and "正确答案：" in f for f in feedback[: len(questions)])
    assert feedback[len(questions):] == [""] * (quiz.QUIZ_SLOTS - len(questions))
    for q, shown in zip(questions, feedback, strict=False):
        assert f"正确答案：<b>{html.esc(quiz.Question(**q).keyed_answer)}</b>" in shown
        mine = wrong(q)
        if q["kind"] == "choice":  # your answer as the choice was shown, lettered
            mine = f"{'ABCD'[q['choices'].index(mine)]}. {mine}"
        assert f"你的答案：{html.esc(mine)}；" in shown
    assert {q["kind"] for q in questions} == {"fill", "choice", "truefalse"}

    # half right, the rest unanswered
    half = len(questions) // 2
    score, files, *feedback = quiz.submit_quiz(
        out[0], *responses(app, questions, lambda q: q["answer"] if questions.index(q) < half else None))
    assert f"<b>{half}</b> / {len(questions)}" in score and f"未作答 {len(questions) - half} 题" in score
    last_shown = feedback[len(questions) - 1]
    assert "○ 未作答" in last_shown and "回答错误" not in last_shown
    # the trainee's paper: every question, their answer, the verdict, the key and the score
    md, table = (Path(p).read_text(encoding="utf-8-sig") for p in files["value"])
    assert f"得分：{half} / {len(questions)}" in md and f"试卷编号 {out[0]['seed']}" in md
    assert md.count("结果：正确") == half and md.count("（未作答）") == len(questions) - half
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["题号", "题型", "题目", "作答", "结果", "正确答案", "出处"] and rows[-1] == ["得分", f"{half} / {len(questions)}"]
    # a fill-in accepts the figure written another way
    fills = [q for q in questions if q["kind"] == "fill"]
    assert fills
    loose = quiz.submit_quiz(out[0], *responses(app, questions, lambda q: " " + q["answer"].replace("万", " 万")
                                                 if q["kind"] == "fill" else q["answer"]))
    assert f"<b>{len(questions)}</b> / {len(questions)}" in loose[0]
    # the number with the unit's magnitude only (100亿 for 100亿元) is right too
    prefix_only = quiz.submit_quiz(out[0], *responses(app, questions, lambda q: re.sub(
        r"(万亿|亿|万)[^\d]+$", r"\1", q["answer"]) if q["kind"] == "fill" else q["answer"]))
    assert f"<b>{len(questions)}</b> / {len(questions)}" in prefix_only[0]


def test_quiz_exports_hold_the_questions_and_the_answer_key(app):
    out = quiz.make_quiz("", [], 6, 0, 5)
    questions, paths = out[0]["questions"], out[3]
    names = [Path(p).name for p in paths]
    assert names == ["测验试题.md", "测验试题与答案.md", "测验试题.csv", "测验试题与答案.csv"]
    quiz_md, key_md, quiz_csv, key_csv = (Path(p).read_text(encoding="utf-8-sig") for p in paths)
    assert all(q["prompt"] in quiz_md and q["prompt"] in key_md for q in questions)
    assert "## 答案" not in quiz_md and "## 答案" in key_md
    assert all(quiz.Question(**q).keyed_answer in key_md for q in questions)
    rows = list(csv.DictReader(io.StringIO(key_csv)))
    assert [r["题目"] for r in rows] == [q["prompt"] for q in questions]  # the screen's Chinese headers
    assert [r["出处"] for r in rows] == [q["ref"] for q in questions]
    assert next(csv.reader(io.StringIO(quiz_csv))) == ["题号", "题型", "题目", "选项"]
    assert Path(paths[2]).read_bytes().startswith(b"\xef\xbb\xbf")


def test_quiz_bad_options_are_messages(app):
    with pytest.raises(gr.Error, match="没有交集"):
        quiz.make_quiz("", ["fill"], 5, 1, 7)  # 填空 is level 3
    with pytest.raises(gr.Error, match="1 到"):
        quiz.make_quiz("", [], quiz.QUIZ_SLOTS + 1, 0, 7)
    with pytest.raises(gr.Error, match="没有可出的"):
        quiz.make_quiz("总体要求", ["fill"], 5, 0, 7)
    with pytest.raises(gr.Error, match="试卷编号须为"):
        quiz.make_quiz("", [], 5, 0, "x")
    with pytest.raises(gr.Error, match="整数"):
        quiz.make_quiz("", [], "x", 0, "")
    with pytest.warns(UserWarning, match="请先生成测验"):
        skipped = quiz.submit_quiz(None, *[None] * (2 * quiz.QUIZ_SLOTS))
    assert all(isinstance(o, type(gr.skip())) for o in skipped)


def test_command_line_defaults_and_overrides(app, monkeypatch):
    for name in ("PLAN_ASSISTANT_HOST", "PLAN_ASSISTANT_PORT"):
        monkeypatch.delenv(name, raising=False)
    args = app.build_parser().parse_args([])
    assert (args.host, args.port, args.share, args.auth_file) == ("127.0.0.1", 7860, False, None)
    monkeypatch.setenv("PLAN_ASSISTANT_HOST", "0.0.0.0")
    monkeypatch.setenv("PLAN_ASSISTANT_PORT", "8080")
    args = app.build_parser().parse_args([])
    assert (args.host, args.port) == ("0.0.0.0", 8080)
    assert app.build_parser().parse_args(["--port", "9000"]).port == 9000


def test_bad_auth_file_is_a_clear_error(app, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PLAN_ASSISTANT_AUTH", raising=False)
    bad = tmp_path / "users.txt"
    bad.write_text("just-a-name\n", encoding="utf-8")
    assert app.main(["--auth-file", str(bad)]) == 2
    assert "第 1 行无法识别" in capsys.readouterr().err
    assert app.main(["--auth-file", str(tmp_path / "missing.txt")]) == 2
    assert os.environ.get("GRADIO_ANALYTICS_ENABLED") == "False"
