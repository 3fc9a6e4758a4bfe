"""LLM mode within one deadline per answer, and skipped after failures in a row: the real plan and
retriever, the endpoint fake (tests/fake_openai.py), the service a real process for the stream test.

Elapsed times are asserted only as bounds a correct implementation keeps with seconds to spare on a
loaded machine, against what the old behaviour took (the whole reply, or one deadline per call); the
model's share is timed from the moment the fake endpoint received the first request, so that slow
retrieval on a busy machine does not count."""

from __future__ import annotations

import time

import openai
import pytest
from fake_openai import Reply
from service_process import Service

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import ConfigError
from assistant.llm.client import warm_up
from assistant.llm.notices import deadline

GRAIN = "粮食产量目标是多少？"
GOOD = "粮食产量超过840亿斤 [主要预期目标]。"
LONG = "粮食产量超过840亿斤 [主要预期目标]。" * 6  # many chunks: a slow stream of it takes long
COAL_HISTORY = [{"role": "user", "content": "煤炭产量目标是多少？"},
                {"role": "assistant", "content": "煤炭产量稳定在12.5亿吨以上。[四(一)]"}]


@pytest.fixture
def endpoint(fake_llm_assistant):
    """The assistant with the fake endpoint, configured per test: endpoint(llm_deadline=5)."""

    def configured(**settings) -> Assistant:
        settings = {"llm_timeout": 30.0, "llm_deadline": 20.0, "llm_skip_seconds": 60.0} | settings
        assistant = fake_llm_assistant(**settings)
        warm_up(assistant.config)  # what Assistant.load does in LLM mode: the client imported before the first answer
        return assistant

    return configured


def timed_ask(assistant, question=GRAIN, history=None):
    started = time.monotonic()
    events = list(assistant.ask_stream(question, history))
    return events, events[-1].answer, time.monotonic() - started


def with_model(fake_llm, asked: int = 0) -> float:
    """Seconds from the endpoint receiving request number `asked` until now (the answer's end)."""
    return time.monotonic() - fake_llm.received[asked]


def test_a_chunk_every_4_seconds_ends_at_the_deadline(endpoint, plain, fake_llm):
    """Each read gets its chunk within the 30 s timeout, so only a deadline on the whole call stops it
    (before: 4 s per 3 characters, about 36 s for this reply)."""
    llm = endpoint(llm_deadline=5.0)
    fake_llm.script(Reply(LONG, chunk_delay=4.0))
    events, answer, _ = timed_ask(llm)
    assert with_model(fake_llm) < 5.0 + 2
    assert answer.mode == "extractive" and answer.notice == deadline(5.0) == "大模型在5秒内没有答完，已改用原文摘录"
    assert answer.text == plain.ask(GRAIN).text
    assert len(events) >= 2  # the first chunk was streamed before the deadline


def test_a_hung_endpoint_ends_at_the_deadline(endpoint, fake_llm):
    llm = endpoint(llm_deadline=2.0)
    fake_llm.script(Reply(GOOD, hang=30))
    _, answer, _ = timed_ask(llm)
    assert with_model(fake_llm) < 2.0 + 2
    assert answer.mode == "extractive" and answer.notice == deadline(2.0)


def test_a_follow_up_shares_one_deadline_between_rewrite_and_answer(endpoint, plain, fake_llm):
    """The rewrite takes 3 s of the 7 s; the answer gets what is left, not 7 s of its own (10 s)."""
    llm = endpoint(llm_deadline=7.0)
    fake_llm.script(Reply("2026年天然气产量目标是多少？", hang=3.0), Reply(LONG, chunk_delay=1.0))
    _, answer, _ = timed_ask(llm, "天然气呢？", COAL_HISTORY)
    assert with_model(fake_llm) < 7.0 + 2
    assert [bool(r.get("stream")) for r in fake_llm.requests] == [False, True]  # the rewrite, then the answer
    assert answer.standalone_question == "2026年天然气产量目标是多少?"  # the model's rewrite was used
    assert answer.mode == "extractive" and answer.notice == deadline(7.0)


def test_three_failures_skip_the_model_then_it_is_tried_again(endpoint, plain, fake_llm):
    skip = 4.0
    llm = endpoint(llm_deadline=1.0, llm_skip_seconds=skip)
    started = time.monotonic()
    expected = plain.ask("天然气呢？", COAL_HISTORY)
    extractive = time.monotonic() - started  # this machine's time for the answer without a model
    fake_llm.script(*[Reply(GOOD, hang=30)] * 3)
    for _ in range(3):
        _, answer, _ = timed_ask(llm)
        assert answer.notice == deadline(1.0)
    third = time.monotonic()
    assert len(fake_llm.requests) == 3
    # the fourth, a follow-up: neither the rewrite nor the answer asks the model, and nothing waits
    _, answer, elapsed = timed_ask(llm, "天然气呢？", COAL_HISTORY)
    assert time.monotonic() - third < skip  # (still within the skip period)
    assert len(fake_llm.requests) == 3
    assert answer.mode == "extractive" and answer.text == expected.text
    assert answer.notice.startswith("大模型服务连续3次失败，暂停调用（约") and "秒后重试" in answer.notice
    assert elapsed < extractive + 0.9  # as fast as the extractive answer: nothing waited for the model
    time.sleep(max(0.0, third + skip + 0.2 - time.monotonic()))  # the skip period is over: asked again
    fake_llm.script(GOOD)
    _, answer, _ = timed_ask(llm)
    assert len(fake_llm.requests) == 4 and answer.mode == "llm" and answer.text == GOOD


def test_a_success_between_failures_starts_the_count_again(endpoint, fake_llm):
    llm = endpoint(llm_skip_seconds=60.0)
    fake_llm.script(Reply("boom", status=500), Reply("boom", status=500), GOOD,
                  Reply("boom", status=500), Reply("boom", status=500), GOOD)
    modes = [timed_ask(llm)[1].mode for _ in range(6)]
    assert modes == ["extractive", "extractive", "llm", "extractive", "extractive", "llm"]
    assert len(fake_llm.requests) == 6  # never skipped: no three failures in a row


def test_deadline_and_skip_period_are_configured_like_the_rest(monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_LLM_DEADLINE", "7.5")
    monkeypatch.setenv("PLAN_ASSISTANT_LLM_SKIP_SECONDS", "0")
    config = Config.load()
    assert (config.llm_deadline, config.llm_skip_seconds) == (7.5, 0.0)
    assert (Config().llm_deadline, Config().llm_skip_seconds) == (20.0, 60.0)
    monkeypatch.setenv("PLAN_ASSISTANT_LLM_DEADLINE", "0")
    with pytest.raises(ConfigError, match="llm_deadline"):
        Config.load()


def test_the_service_stream_answers_at_once_while_the_model_is_skipped(plain, fake_llm, tmp_path):
    """The OpenAI stream of `plan-assistant serve` through the real `openai` client: after three
    failed answers the fourth is streamed without contacting the endpoint and says why."""
    fake_llm.replies.clear()
    fake_llm.requests.clear()
    fake_llm.script(*[Reply(GOOD, hang=60)] * 3)
    with Service(tmp_path, plain.config.index_path, PLAN_ASSISTANT_LLM_BASE_URL=fake_llm.url + "/v1",
                 PLAN_ASSISTANT_LLM_MODEL="fake", PLAN_ASSISTANT_LLM_DEADLINE="4",
                 PLAN_ASSISTANT_LLM_SKIP_SECONDS="60") as svc:
        assert svc.wait_ready()["mode"] == "llm"
        client = openai.OpenAI(base_url=svc.url + "/v1", api_key="none", max_retries=0)
        messages = [{"role": "user", "content": GRAIN}]
        for _ in range(3):
            reply = client.chat.completions.create(model="plan-assistant", messages=messages)
            assert reply.model_extra["plan_assistant"]["notice"] == deadline(4.0)
        started = time.monotonic()
        chunks = list(client.chat.completions.create(model="plan-assistant", messages=messages, stream=True))
        elapsed = time.monotonic() - started
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "粮食产量超过840亿斤" in text and len(fake_llm.requests) == 3
    extra = chunks[-1].model_extra["plan_assistant"]
    assert extra["mode"] == "extractive" and extra["notice"].startswith("大模型服务连续3次失败")
    assert elapsed < 4.0  # less than the deadline: nothing waited for the model
