"""LLM mode on the real plan and the real retriever; only the endpoint is fake (tests/fake_openai.py,
an HTTP server speaking the OpenAI chat protocol)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from fake_openai import Reply

from assistant.chat import condense
from assistant.llm import NOTICE_NO_CITATION, NOTICE_NUMBERS, condense_with_llm, numbers

GRAIN = "粮食产量目标是多少？"


@pytest.fixture
def llm(fake_llm_assistant):
    return fake_llm_assistant(llm_timeout=2.0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(assistant, question=GRAIN, history=None):
    events = list(assistant.ask_stream(question, history))
    assert all(e.answer is None for e in events[:-1])
    return events, events[-1].answer


def assert_fell_back(answer, plain, question=GRAIN):
    expected = plain.ask(question)
    assert answer.mode == "extractive"
    assert answer.text == expected.text
    assert [c.ref for c in answer.citations] == [c.ref for c in expected.citations]


def test_import_does_not_load_the_llm_client():
    code = "import sys, assistant, assistant.llm; assert 'langchain_openai' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_numbers_are_figures_not_refs_years_or_list_marks():
    assert numbers("1. 2026年粮食产量超过840亿斤 [专栏2·能源供应保障]") == ["840亿"]
    assert numbers("城镇调查失业率5.7%左右，新增就业18万人，2026—2030年") == ["5.7%", "18万"]


def test_streamed_answer_keeps_a_citation_whose_figure_is_in_the_cited_paragraph(llm, fake_llm):
    fake_llm.script("根据计划，2026年粮食产量超过840亿斤 [主要预期目标]；粮食播种面积稳定在1亿亩以上 [五(一)]。")
    events, answer = run(llm)
    assert answer.mode == "llm" and answer.notice is None and not answer.refused
    assert len(events) > 5  # streamed chunk by chunk
    assert events[-2].text.startswith("根据计划") and events[0].text != events[-2].text
    assert answer.text == events[-1].text == "根据计划，2026年粮食产量超过840亿斤 [主要预期目标]；粮食播种面积稳定在1亿亩以上 [五(一)]。"
    assert [c.ref for c in answer.citations] == ["主要预期目标", "五(一)"]
    goal = answer.citations[0]
    assert goal.text == llm.doc.by_ref["主要预期目标"].text
    assert any("粮食产量超过840亿斤" in q for q in goal.quotes)
    assert all(q in goal.text for q in goal.quotes)
    assert any("1亿亩" in q for q in answer.citations[1].quotes)
    # what the model was given: the retrieved paragraphs, with their refs, and the question
    request = fake_llm.requests[-1]
    assert request["path"] == "/v1/chat/completions" and request["stream"] is True and request["model"] == "fake"
    prompt = "\n".join(m["content"] for m in request["messages"])
    assert "[主要预期目标]" in prompt and "粮食产量超过840亿斤" in prompt and "粮食产量目标是多少" in prompt
    assert request["messages"][0]["role"] == "system" and "[四(三)]" in request["messages"][0]["content"]


def test_a_citation_of_a_paragraph_not_retrieved_is_removed(llm, fake_llm):
    assert "十四" not in [h.ref for h in llm.retrieve(GRAIN)]
    fake_llm.script("粮食产量超过840亿斤 [主要预期目标]。同时居民收入增长与经济增长同步 [十四]。")
    _, answer = run(llm)
    assert answer.mode == "llm"
    assert answer.text == "粮食产量超过840亿斤 [主要预期目标]。同时居民收入增长与经济增长同步。"
    assert [c.ref for c in answer.citations] == ["主要预期目标"]


def test_full_width_and_grouped_refs_are_read(llm, fake_llm):
    fake_llm.script("粮食产量超过840亿斤【主要预期目标、十四】，粮食播种面积稳定在1亿亩以上［五（一）］。")
    _, answer = run(llm)
    assert answer.mode == "llm"
    assert [c.ref for c in answer.citations] == ["主要预期目标", "五(一)"]
    assert "[主要预期目标]" in answer.text and "十四" not in answer.text


def test_an_invented_number_falls_back_to_the_extractive_answer(llm, plain, fake_llm):
    fake_llm.script("粮食产量超过999亿斤 [主要预期目标]。")
    events, answer = run(llm)
    assert answer.notice == NOTICE_NUMBERS
    assert_fell_back(answer, plain)
    assert events[-1].text == answer.text  # the final text replaces what was streamed


def test_a_figure_cited_to_the_wrong_paragraph_falls_back(llm, plain, fake_llm):
    fake_llm.script("粮食产量超过840亿斤 [五(一)]。")  # the figure is in 主要预期目标, not in 五(一)
    _, answer = run(llm)
    assert answer.notice == NOTICE_NUMBERS
    assert_fell_back(answer, plain)


def test_an_answer_without_any_valid_citation_falls_back(llm, plain, fake_llm):
    fake_llm.script("粮食产量超过840亿斤。[十四]")
    _, answer = run(llm)
    assert answer.notice == NOTICE_NO_CITATION
    assert_fell_back(answer, plain)


def test_an_endpoint_slower_than_the_timeout_falls_back(llm, plain, fake_llm):
    slow = replace(llm, config=replace(llm.config, llm_timeout=1.0))
    fake_llm.script(Reply("粮食产量超过840亿斤 [主要预期目标]", hang=10))
    started = time.monotonic()
    _, answer = run(slow)
    assert time.monotonic() - started < 6
    assert answer.notice == "大模型服务不可用（超时），已改用原文摘录"
    assert_fell_back(answer, plain)


def test_a_stream_that_stalls_midway_falls_back(llm, plain, fake_llm):
    slow = replace(llm, config=replace(llm.config, llm_timeout=1.0))
    fake_llm.script(Reply("粮食产量超过840亿斤 [主要预期目标]", hang=10, stall_after=3))
    events, answer = run(slow)
    assert len(events) > 1  # some text was streamed before the stall
    assert answer.notice == "大模型服务不可用（超时），已改用原文摘录"
    assert_fell_back(answer, plain)
    assert events[-1].text == answer.text


def test_connection_refused_falls_back(llm, plain):
    down = replace(llm, config=replace(llm.config, llm_base_url=f"http://127.0.0.1:{free_port()}/v1"))
    _, answer = run(down)
    assert answer.notice == "大模型服务不可用（连接失败），已改用原文摘录"
    assert_fell_back(answer, plain)


@pytest.mark.parametrize("reply, reason", [
    (Reply(garbage=True), "返回内容无法解析"),
    (Reply("internal error", status=500), "HTTP 500"),
    (Reply("unauthorized", status=401), "HTTP 401"),
])
def test_broken_replies_fall_back(llm, plain, fake_llm, reply, reason):
    fake_llm.script(reply)
    _, answer = run(llm)
    assert answer.notice == f"大模型服务不可用（{reason}），已改用原文摘录"
    assert_fell_back(answer, plain)


def test_an_empty_reply_falls_back(llm, plain, fake_llm):
    fake_llm.script(Reply(""))
    _, answer = run(llm)
    assert answer.notice and "没有返回内容" in answer.notice
    assert_fell_back(answer, plain)


def test_a_question_the_plan_does_not_cover_is_refused_without_asking_the_model(llm, fake_llm):
    _, answer = run(llm, "明天呼和浩特天气怎么样？")
    assert answer.refused and answer.mode == "extractive"
    assert fake_llm.requests == []


def test_condense_uses_the_model_rewrite(llm, fake_llm):
    history = [{"role": "user", "content": "煤炭产量目标是多少？"},
               {"role": "assistant", "content": "煤炭产量稳定在12.5亿吨以上。[四(一)]"}]
    fake_llm.script("2026年天然气产量目标是多少？\n")
    assert condense_with_llm(llm.config, "天然气呢？", history) == "2026年天然气产量目标是多少?"  # normalized as questions are
    request = fake_llm.requests[-1]
    assert request.get("stream") in (None, False)
    prompt = "\n".join(m["content"] for m in request["messages"])
    assert "煤炭产量目标是多少？" in prompt and "天然气呢？" in prompt


def test_condense_falls_back_to_the_rules(llm, fake_llm):
    history = [{"role": "user", "content": "煤炭产量目标是多少？"}]
    rules = condense("天然气呢？", history)
    assert rules == "天然气产量目标是多少？"
    fake_llm.script(Reply("boom", status=500), Reply(garbage=True), Reply(""))
    for _ in range(3):
        assert condense_with_llm(llm.config, "天然气呢？", history) == rules
    down = replace(llm.config, llm_base_url=f"http://127.0.0.1:{free_port()}/v1")
    assert condense_with_llm(down, "天然气呢？", history) == rules


def test_condense_without_history_asks_nothing(llm, fake_llm):
    assert condense_with_llm(llm.config, "稀土产业有哪些举措？", []) == "稀土产业有哪些举措？"
    assert fake_llm.requests == []


def test_an_overview_prompt_carries_the_outline_of_the_part(llm, fake_llm, doc):
    fake_llm.script("第七部分包括加快推动传统产业改造升级等内容 [七(一)]。")
    _, answer = run(llm, "第七部分讲了哪些内容？")
    prompt = "\n".join(m["content"] for m in fake_llm.requests[-1]["messages"])
    assert "提纲：" in prompt and all(f"[{c.ref}] {c.title}" in prompt for c in doc.get("七").children)
    assert answer.mode == "llm" and [c.ref for c in answer.citations] == ["七(一)"]
