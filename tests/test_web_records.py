"""The web app's callbacks that write and read the records (👍/👎 with a reason, the 管理 tab, saved
conversations), called as plain functions against the real Assistant and a real SQLite file."""

import gradio as gr
import pytest

from assistant.records import Records, log_rows
from assistant.web import chat as chat_tab
from assistant.web import state


@pytest.fixture
def records(tmp_path, monkeypatch):
    """The app's records pointed at a fresh file in a temp folder."""
    r = Records(tmp_path / "records.sqlite3")
    monkeypatch.setattr(state, "RECORDS", r)
    return r


def last(gen):
    *_, out = gen
    return out


def like(index, liked):
    return gr.LikeData(None, {"index": index, "value": [], "liked": liked})


def asked(questions, user=None):
    """The conversation after asking `questions` in turn, as `user`."""
    conversation = []
    for q in questions:
        conversation = last(chat_tab.respond(q, conversation, gr.Request(username=user)))[2]
    return conversation


def test_each_answer_keeps_its_log_row(records):
    conversation = asked(["粮食产量目标是多少？", "稀土产业有哪些举措？"])
    rows = log_rows(records)
    answers = chat_tab.answers_of(conversation)
    assert [a["log_id"] for a in answers] == [r["id"] for r in rows]
    assert [r["question"] for r in rows] == ["粮食产量目标是多少？", "稀土产业有哪些举措？"]


def test_chat_index_maps_to_its_answer(records):
    conversation = asked(["粮食产量目标是多少？", "稀土产业有哪些举措？"])
    shown = chat_tab.chat_messages(conversation)
    first_cites = len(conversation[1]["citations"])
    assert first_cites >= 1
    assert chat_tab.answer_at(conversation, 0) is None  # a question
    assert chat_tab.answer_at(conversation, 1) == 0
    assert chat_tab.answer_at(conversation, 1 + first_cites) == 0  # its last citation
    second = 2 + first_cites + 1
    assert shown[second]["content"] == chat_tab.assistant_markdown(conversation[3]["content"], conversation[3]["notice"])
    assert chat_tab.answer_at(conversation, second) == 1
    assert chat_tab.answer_at(conversation, len(shown)) is None
    assert chat_tab.answer_at(conversation, "x") is None


def test_like_dislike_with_reason_and_take_back(records):
    conversation = asked(["粮食产量目标是多少？", "煤炭产量目标是多少？"], user="alice")
    first, second = (a["log_id"] for a in chat_tab.answers_of(conversation))
    shown = chat_tab.chat_messages(conversation)
    second_index = next(i for i, m in enumerate(shown) if i > 1 and chat_tab.answer_at(conversation, i) == 1)
    alice = gr.Request(username="alice")

    box, row, *_ = chat_tab.on_like(conversation, like(1, True), alice)
    assert box["visible"] is False and row is None
    box, row, *_ = chat_tab.on_like(conversation, like(second_index, False), alice)
    assert box["visible"] is True and row == second  # the reason form opens for that answer
    votes = {r["id"]: (r["vote"], r["reason"], r["comment"]) for r in log_rows(records)}
    assert votes == {first: ("up", None, None), second: ("down", None, None)}

    box, row, *_ = chat_tab.submit_reason(second, "数字不对", "  应为 12 亿吨 ", alice)
    assert box["visible"] is False and row is None
    assert [(r["vote"], r["reason"], r["comment"]) for r in log_rows(records, vote="down")] == [
        ("down", "数字不对", "应为 12 亿吨")]

    # another user cannot judge alice's answer; a bad reason is refused; a second click takes 👍 back
    with pytest.warns(UserWarning, match="只能评价自己提问得到的回答"):
        chat_tab.on_like(conversation, like(1, False), gr.Request(username="bob"))
    with pytest.warns(UserWarning, match="请选择一个原因"):
        chat_tab.submit_reason(second, "<b>随便</b>", "", alice)
    assert log_rows(records, vote="down")[0]["reason"] == "数字不对"
    chat_tab.on_like(conversation, like(1, ""), alice)
    assert {r["id"]: r["vote"] for r in log_rows(records)} == {first: None, second: "down"}


def test_feedback_with_the_log_off_is_a_notice(monkeypatch, tmp_path):
    monkeypatch.setattr(state, "RECORDS", Records(None))
    conversation = asked(["粮食产量目标是多少？"])
    assert chat_tab.answers_of(conversation)[0]["log_id"] is None
    with pytest.warns(UserWarning, match="问答记录已关闭"):
        box, row, *_ = chat_tab.on_like(conversation, like(1, False), None)
    assert box["visible"] is False and row is None
    assert not list(tmp_path.iterdir())
