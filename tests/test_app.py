"""The web app without a browser: the formatting helpers of assistant.web on the real plan, and the
Gradio callbacks of app.py called as plain functions against the real Assistant."""

import csv
import dataclasses
import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest

from assistant import web
from assistant.targets import extract_targets
from assistant.types import Citation

ROOT = Path(__file__).resolve().parent.parent
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def app():
    sys.path.insert(0, str(ROOT))
    import app as module

    return module


@pytest.fixture(scope="module")
def assistant(app):
    return app.get_assistant()


def last(gen):
    *_, out = gen
    return out


# ---- assistant.web ------------------------------------------------------------------------------

def test_highlight_marks_and_escapes():
    assert web.highlight("a<b>粮食产量超过840亿斤；c", ["粮食产量超过840亿斤；"]) == \
        "a&lt;b&gt;<mark>粮食产量超过840亿斤；</mark>c"
    # overlapping and adjacent needles become one mark; line breaks survive as <br>
    assert web.highlight("甲乙丙丁\n戊", ["甲乙", "乙丙", "丙丁"]) == "<mark>甲乙丙丁</mark><br>戊"
    assert web.highlight("Rare Earth", ["rare"], ignore_case=True) == "<mark>Rare</mark> Earth"
    assert web.highlight("x", ["", "  "]) == "x"


def test_user_text_is_never_markup():
    shown = web.user_markdown(XSS)
    assert "<" not in shown and ">" not in shown
    assert web.user_markdown("**粗体** [链接](http://x) $x$") == r"\*\*粗体\*\* \[链接\]\(http://x\) \$x\$"
    assert "<img" not in web.answer_markdown(XSS)
    assert web.answer_markdown("- 一条\n- 两条") == "- 一条\n- 两条"  # the answer's own bullets stay


def test_citation_html_opens_to_the_paragraph_with_the_quote_marked(doc):
    node = doc.get("四(三)")
    quote = "设立稀土产业基金"
    sentence = next(s for s in node.text.split("。") if quote in s) + "。"
    html_ = web.citation_html(Citation(node.ref, node.title, node.text, (sentence,)), open_=True)
    assert html_.startswith('<details class="cite" open><summary><span class="cite-ref">[四(三)]</span> 加强矿产资源开发利用')
    assert f"<mark>{sentence}</mark>" in html_
    hostile = web.citation_html(Citation("x", XSS, XSS, (XSS,)))
    assert "<script" not in hostile and "<img" not in hostile and "&lt;script&gt;" in hostile


def test_sources_html_shows_the_notice_and_an_empty_state():
    assert "提问后" in web.sources_html([])
    assert "注意：大模型服务不可用" in web.sources_html([], notice="大模型服务不可用（超时），已改用原文摘录")


def test_ref_label():
    assert web.ref_label("四(三)", "加强矿产资源开发利用") == "[四(三)] 加强矿产资源开发利用"
    assert web.ref_label("总体要求", "总体要求") == "[总体要求]"
    assert web.ref_label("专栏2·新能源开发利用", "新能源开发利用") == "[专栏2·新能源开发利用]"


def test_outline_choices_cover_every_node_in_reading_order(doc):
    choices = web.outline_choices(doc)
    assert [ref for _, ref in choices] == [n.ref for n in doc.walk()]
    labels = dict((ref, label) for label, ref in choices)
    assert labels["四"] == "[四] 大力发展现代能源经济，建设国家重要能源和战略资源基地"
    assert labels["四(三)"] == "　[四(三)] 加强矿产资源开发利用"
    assert labels["专栏2·新能源开发利用"] == "　　[专栏2·新能源开发利用]"


def test_column_is_a_table_of_area_and_targets(doc):
    html_ = web.node_html(doc.get("专栏2"))
    assert html_.count('<tr><th scope="row">') == 2
    assert '<th scope="row">能源供应保障</th>' in html_ and '<th scope="row">新能源开发利用</th>' in html_
    assert "700万千瓦新型储能项目" in html_
    # a part shows its sections and its 专栏 (as a table) under headings
    part = web.node_html(doc.get("四"))
    assert "<h4>[四(三)] 加强矿产资源开发利用</h4>" in part and '<table class="column">' in part


def test_search_plan_lists_matching_sentences(doc):
    hits = web.search_plan(doc, "稀土")
    assert hits and all("稀土" in s for _, _, s in hits)
    assert "四(三)" in {ref for ref, _, _ in hits}
    assert web.search_plan(doc, "  ") == [] and web.search_plan(doc, "不存在的词语") == []
    choices = web.search_choices(hits)
    assert len({ref for _, ref in choices}) == len(choices)  # one entry per ref
    assert web.node_html(doc.get("四(三)"), ["稀土"]).count("<mark>稀土</mark>") == \
        doc.get("四(三)").full_text().count("稀土")


def test_target_rows_and_chapter_counts(doc):
    targets = extract_targets(doc)
    rows = web.target_rows(targets)
    assert ["煤炭产量", "12.5", "亿吨", "以上", "四(一)"] in [r[:5] for r in rows]
    counts = web.targets_per_chapter(doc, targets)
    assert sum(n for _, n in counts) == len(targets)
    assert counts[0] == ("主要预期目标", sum(t.ref == "主要预期目标" for t in targets))
    assert [ref for _, ref in web.chapter_choices(doc)][:3] == ["", "总体要求", "主要预期目标"]


# ---- app.py callbacks ---------------------------------------------------------------------------

def test_import_builds_the_demo_without_loading_or_serving():
    code = "import app, os; assert not app.assistant_ready(); assert app.demo.analytics_enabled is False; " \
           "assert os.environ['GRADIO_ANALYTICS_ENABLED'] == 'False'; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")


def test_demo_settings(app):
    assert app.demo._queue.max_size == 64 and app.demo._queue.default_concurrency_limit == 4
    public = {fn.api_name for fn in app.demo.fns.values() if fn.api_visibility == "public"}
    assert public == {"chat", "show", "search", "targets"}
    chatbots = [b for b in app.demo.blocks.values() if isinstance(b, gr.Chatbot)]
    assert chatbots and all(c.sanitize_html for c in chatbots)


def test_the_assistant_loads_once_for_concurrent_first_callers(app, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from assistant.api import Assistant

    real_load, calls = Assistant.load.__func__, []

    def counting_load(cls, *args, **kwargs):
        calls.append(1)
        return real_load(cls, *args, **kwargs)

    monkeypatch.setattr(app, "_assistant", None)
    monkeypatch.setattr(Assistant, "load", classmethod(counting_load))
    with ThreadPoolExecutor(6) as pool:
        loaded = list(pool.map(lambda _: app.get_assistant(), range(6)))
    assert len(calls) == 1 and all(a is loaded[0] for a in loaded)


def test_concurrent_questions_get_the_same_answers_as_one_at_a_time(app, assistant):
    from concurrent.futures import ThreadPoolExecutor

    questions = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "煤炭产量目标是多少？", "养老服务有哪些举措？"] * 2
    alone = [assistant.ask(q).text for q in questions]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda q: last(app.respond(q, []))[2][0]["answer"], questions))
    assert together == alone


def test_respond_streams_then_answers_with_citations(app, assistant):
    outputs = list(app.respond("粮食产量目标是多少？", []))
    textbox, chat, turns, sources, status, report = outputs[0]
    assert textbox == "" and chat[-1]["metadata"]["status"] == "pending"  # the question shows at once
    textbox, chat, turns, sources, status, report = outputs[-1]
    answer = assistant.ask("粮食产量目标是多少？")
    assert chat[1]["content"].startswith(web.answer_markdown(answer.text))
    assert chat[1]["content"].endswith("〔原文摘录〕") and "原文摘录" in status
    assert "<" not in chat[1]["content"]  # the chatbot's copy button copies this string verbatim
    assert chat[2]["metadata"]["title"] == "出处 [主要预期目标]"
    assert "<mark>粮食产量超过840亿斤；</mark>" in chat[2]["content"]
    assert "<mark>粮食产量超过840亿斤；</mark>" in sources and "<details" in sources
    assert report == answer.plain_text()
    assert turns == [web.turn_of("粮食产量目标是多少？", answer)]


def test_follow_up_uses_the_history(app, assistant):
    first = last(app.respond("煤炭产量目标是多少？", []))
    turns = first[2]
    second = last(app.respond("天然气呢？", turns))
    assert len(second[2]) == 2
    expected = assistant.ask("天然气呢？", web.history_of(turns))
    assert second[2][1]["answer"] == expected.text
    assert [m["role"] for m in second[1] if not m.get("metadata")] == ["user", "assistant"] * 2


def test_hostile_question_is_kept_raw_for_the_core_and_escaped_for_the_page(app, assistant):
    textbox, chat, turns, *_ = last(app.respond(XSS, []))
    assert turns[0]["question"] == XSS
    assert chat[0]["content"] == web.user_markdown(XSS) and "<" not in chat[0]["content"]


def test_empty_question_changes_nothing(app):
    (outputs,) = list(app.respond("   ", []))
    assert all(isinstance(o, type(gr.skip())) for o in outputs)


def test_new_chat_clears_everything(app):
    assert app.new_chat() == ("", [], [], web.sources_html([]), "", "")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket closes


def test_llm_failure_shows_a_notice_and_falls_back(app, assistant, monkeypatch):
    config = dataclasses.replace(assistant.config, llm_base_url=f"http://127.0.0.1:{closed_port()}/v1",
                                 llm_timeout=5.0)
    monkeypatch.setattr(app, "_assistant", dataclasses.replace(assistant, config=config))
    textbox, chat, turns, sources, status, report = last(app.respond("粮食产量目标是多少？", []))
    assert turns[0]["mode"] == "extractive" and turns[0]["notice"]
    assert "注意：" in status and turns[0]["notice"] in status
    assert f"注意：{turns[0]['notice']}" in sources
    assert f"注意：{turns[0]['notice']}" in chat[1]["content"]
    assert "840亿斤" in chat[1]["content"]


def test_llm_answer_streams_into_the_chat(app, assistant, monkeypatch):
    from fake_openai import FakeOpenAI

    with FakeOpenAI() as server:
        server.script("根据计划，2026年粮食产量超过840亿斤 [主要预期目标]。")
        config = dataclasses.replace(assistant.config, llm_base_url=server.url + "/v1", llm_model="fake",
                                     llm_timeout=5.0)
        monkeypatch.setattr(app, "_assistant", dataclasses.replace(assistant, config=config))
        outputs = list(app.respond("粮食产量目标是多少？", []))
    partial = [o[1][-1]["content"] for o in outputs[1:-1]]
    assert len(partial) > 3 and partial[0] != partial[-1]  # the answer grows in the chat
    assert all(isinstance(o[2], type(gr.skip())) for o in outputs[1:-1])  # turns change only at the end
    textbox, chat, turns, sources, status, report = outputs[-1]
    assert turns[0]["mode"] == "llm" and "大模型生成" in status and chat[1]["content"].endswith("〔大模型生成〕")
    assert "<mark>粮食产量超过840亿斤；</mark>" in sources


def test_open_section_and_search(app):
    assert "加强矿产资源开发利用" in app.open_section("四（三）")
    assert "<mark>稀土</mark>" in app.open_section("四(三)", "稀土")
    assert app.open_section(None) == ""
    with pytest.raises(gr.Error):
        app.open_section("四(九)")
    assert app.open_match("四(三)", "稀土") == ("四(三)", app.open_section("四(三)", "稀土"))
    update, line = app.search("稀土")
    assert ("四(三)" in [ref for _, ref in update["choices"]]) and "稀土" in line
    update, line = app.search("不存在的词语")
    assert update["choices"] == [] and "没有" in line


def test_targets_table_filter_and_csv(app, doc):
    table, path, line = app.show_targets("四")
    assert list(table.columns) == web.TARGET_HEADERS
    assert len(table) > 0 and set(table["引用"]) <= {"四", "四(一)", "四(二)", "四(三)", "专栏2",
                                                     "专栏2·能源供应保障", "专栏2·新能源开发利用"}
    assert f"**{len(table)}**" in line
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(table) and rows[0]["indicator"] == table.iloc[0]["指标"]
    everything, _, _ = app.show_targets("")
    assert len(everything) == len(extract_targets(doc))


def test_users_and_auth(app, tmp_path):
    assert app.parse_users("a:1, b:x:y\n# comment\n\n") == {"a": "1", "b": "x:y"}
    with pytest.raises(ValueError):
        app.parse_users("no-password")
    check = app.auth_checker({"a": "secret"})
    assert check("a", "secret")
    assert not check("a", "wrong") and not check("a", "") and not check("nobody", "secret")
    assert not check(None, None)


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
    assert "用户名:密码" in capsys.readouterr().err
    assert app.main(["--auth-file", str(tmp_path / "missing.txt")]) == 2
    assert os.environ.get("GRADIO_ANALYTICS_ENABLED") == "False"
