"""The web app's callbacks that write and read the records (👍/👎 with a reason, the 管理 tab, saved
conversations), called as plain functions against the real Assistant and real records: a SQLite file
and a PostgreSQL database (each test that takes `records` runs on both)."""

import gradio as gr
import pytest

from assistant.records import Records, log_rows
from assistant.web import chat as chat_tab
from assistant.web import feedback, state


@pytest.fixture
def records(records_url, monkeypatch):
    """The app's records pointed at a fresh file in a temp folder, or a fresh database."""
    r = Records(records_url)
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
    assert feedback.answer_at(conversation, 0) is None  # a question
    assert feedback.answer_at(conversation, 1) == 0
    assert feedback.answer_at(conversation, 1 + first_cites) == 0  # its last citation
    second = 2 + first_cites + 1
    assert shown[second]["content"] == chat_tab.assistant_markdown(conversation[3]["content"], conversation[3]["notice"])
    assert feedback.answer_at(conversation, second) == 1
    assert feedback.answer_at(conversation, len(shown)) is None
    assert feedback.answer_at(conversation, "x") is None


def test_like_dislike_with_reason_and_take_back(records):
    conversation = asked(["粮食产量目标是多少？", "煤炭产量目标是多少？"], user="alice")
    first, second = (a["log_id"] for a in chat_tab.answers_of(conversation))
    shown = chat_tab.chat_messages(conversation)
    second_index = next(i for i, m in enumerate(shown) if i > 1 and feedback.answer_at(conversation, i) == 1)
    alice = gr.Request(username="alice")

    box, row, *_ = feedback.on_like(conversation, like(1, True), alice)
    assert box["visible"] is False and row is None
    box, row, *_ = feedback.on_like(conversation, like(second_index, False), alice)
    assert box["visible"] is True and row == second  # the reason form opens for that answer
    votes = {r["id"]: (r["vote"], r["reason"], r["comment"]) for r in log_rows(records)}
    assert votes == {first: ("up", None, None), second: ("down", None, None)}

    box, row, *_ = feedback.submit_reason(second, "数字不对", "  应为 12 亿吨 ", alice)
    assert box["visible"] is False and row is None
    assert [(r["vote"], r["reason"], r["comment"]) for r in log_rows(records, vote="down")] == [
        ("down", "数字不对", "应为 12 亿吨")]

    # another user cannot judge alice's answer; a bad reason is refused; a second click takes 👍 back
    with pytest.warns(UserWarning, match="只能评价自己提问得到的回答"):
        feedback.on_like(conversation, like(1, False), gr.Request(username="bob"))
    with pytest.warns(UserWarning, match="请选择一个原因"):
        feedback.submit_reason(second, "<b>随便</b>", "", alice)
    assert log_rows(records, vote="down")[0]["reason"] == "数字不对"
    feedback.on_like(conversation, like(1, ""), alice)
    assert {r["id"]: r["vote"] for r in log_rows(records)} == {first: None, second: "down"}


def test_votes_stay_with_the_conversation_and_show_when_it_is_reopened(records):
    from assistant.web import history

    conversation = asked(["粮食产量目标是多少？", "煤炭产量目标是多少？"], user="alice")
    shown = chat_tab.chat_messages(conversation)
    second_index = next(i for i, m in enumerate(shown) if i > 1 and feedback.answer_at(conversation, i) == 1)
    alice = gr.Request(username="alice")
    *_, conversation, chatbot = feedback.on_like(conversation, like(1, True), alice)
    assert chatbot["feedback_value"] == ["Like", None]
    *_, conversation, chatbot = feedback.on_like(conversation, like(second_index, False), alice)
    assert chatbot["feedback_value"] == ["Like", "Dislike"]
    assert all("vote" not in turn for turn in chat_tab.history_of(conversation))  # not for the core

    conv_id, _ = history.save_current(conversation, None, None, alice)
    turns, _ = history.open_conversation(conv_id, None, alice)
    _, chatbot, *_ = chat_tab.show_conversation(turns)
    assert chatbot["feedback_value"] == ["Like", "Dislike"]
    *_, taken_back, chatbot = feedback.on_like(turns, like(1, ""), alice)  # a second click takes 👍 back
    assert chatbot["feedback_value"] == [None, "Dislike"] and feedback.feedback_of(taken_back) == [None, "Dislike"]


def test_feedback_with_the_log_off_is_a_notice(monkeypatch, tmp_path):
    monkeypatch.setattr(state, "RECORDS", Records(None))
    conversation = asked(["粮食产量目标是多少？"])
    assert chat_tab.answers_of(conversation)[0]["log_id"] is None
    with pytest.warns(UserWarning, match="问答记录已关闭"):
        box, row, *_ = feedback.on_like(conversation, like(1, False), None)
    assert box["visible"] is False and row is None
    assert not list(tmp_path.iterdir())


# ---- 管理 ------------------------------------------------------------------------------------------

XSS = "<script>alert(1)</script>粮食产量目标是多少？"


def request_from(host: str, username: str | None = None) -> gr.Request:
    from starlette.requests import Request

    return gr.Request(Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"",
                               "client": (host, 50000)}), username=username)


@pytest.fixture
def accounts(monkeypatch):
    from assistant.accounts import Account

    monkeypatch.setattr(state, "ACCOUNTS", {"chief": Account("chief", "scrypt:x", "admin"),
                                            "alice": Account("alice", "scrypt:x", "user")})


@pytest.fixture
def logged(records, accounts):
    """alice asks two questions and 👎 the second with a reason; a caller without a login asks a
    refused question and a hostile one."""
    conversation = asked(["粮食产量目标是多少？", "煤炭产量目标是多少？"], user="alice")
    shown = chat_tab.chat_messages(conversation)
    second = next(i for i in range(2, len(shown)) if feedback.answer_at(conversation, i) == 1)
    alice = gr.Request(username="alice")
    feedback.on_like(conversation, like(second, False), alice)
    feedback.submit_reason(chat_tab.answers_of(conversation)[1]["log_id"], "数字不对", "<b>应为</b>", alice)
    asked(["明天呼和浩特天气怎么样？", XSS])
    return log_rows(records)


def test_admin_view_shows_the_figures_failures_and_exports(logged, tmp_path):
    import csv
    import json

    from openpyxl import load_workbook

    from assistant.web import admin

    chief = gr.Request(username="chief")
    figures, chart, most, refused, down, csv_file, xlsx_file, picks, user_choices, status = \
        admin.show_admin("", "", admin.ALL_USERS, chief)
    assert "共 4 条问答记录" in status
    assert "问题数" in figures and ">4<" in figures and "拒答率" in figures and "p95" in figures
    assert chart.count('class="bar-row"') == 1 and "4 问" in chart
    assert "明天呼和浩特天气怎么样？" in refused and "粮食产量目标是多少？" not in refused
    coal = next(r for r in logged if r["question"] == "煤炭产量目标是多少？")
    assert "煤炭产量目标是多少？" in down and "数字不对" in down and "&lt;b&gt;应为&lt;/b&gt;" in down
    assert "<b>" not in down and "[" + coal["refs"][0] + "]" in down
    assert "<script>" not in most and "&lt;script&gt;" in most  # the hostile question is text
    assert picks["value"] == [str(coal["id"])]  # the 👎 rows are chosen for the eval export
    assert {v for _, v in picks["choices"]} == {str(coal["id"]), str(logged[2]["id"])}
    assert user_choices["choices"] == [admin.ALL_USERS, admin.NO_USER, "alice"]

    with open(csv_file["value"], encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["问题"] for r in table] == [r["question"] for r in logged]
    assert next(r for r in table if r["编号"] == str(coal["id"]))["原因"] == "数字不对"
    sheet = load_workbook(xlsx_file["value"]).active
    assert sheet.max_row == 1 + len(logged) and sheet["E1"].value == "问题"

    out = admin.export_eval(picks["value"] + [str(logged[2]["id"])], "", "", admin.ALL_USERS, chief)
    items = [json.loads(line) for line in open(out["value"], encoding="utf-8")]
    assert [(i["id"], i["kind"]) for i in items] == [(f"log{coal['id']}", "review"), (f"log{logged[2]['id']}", "out_of_scope")]
    assert items[0]["refs"] == coal["refs"] and items[0]["feedback"] == "数字不对；<b>应为</b>"

    # the filters: one user, rows without a user, a range with nothing, a bad date
    assert "共 2 条" in admin.show_admin("", "", "alice", chief)[-1]
    only_anonymous = admin.show_admin("", "", admin.NO_USER, chief)
    assert "共 2 条" in only_anonymous[-1] and "没有被评为不对" in only_anonymous[4]
    assert "共 0 条" in admin.show_admin("2999-01-01", "", admin.ALL_USERS, chief)[-1]
    today = logged[0]["time"][:10]
    assert "共 4 条" in admin.show_admin(today, today, admin.ALL_USERS, chief)[-1]  # the end day is included
    # a bad date is one line in the status; every panel keeps what it showed (no error over each)
    *panels, status = admin.show_admin("3月1日", "", admin.ALL_USERS, chief)
    assert "未刷新：起始日期应为 YYYY-MM-DD（如 2026-03-01），而不是“3月1日”" in status
    assert all(isinstance(p, type(gr.skip())) for p in panels)
    assert "截止日期 2026-03-01 早于起始日期 2026-03-31" in admin.show_admin(
        "2026-03-31", "2026-03-01", admin.ALL_USERS, chief)[-1]


def test_non_admins_get_no_admin_data(logged, monkeypatch):
    from assistant.web import admin

    for request in (gr.Request(username="alice"), gr.Request(username="nobody"), gr.Request(), None):
        assert admin.tab_visibility(request)["visible"] is False
        with pytest.raises(gr.Error, match=admin.DENIED):
            admin.show_admin("", "", admin.ALL_USERS, request)
        with pytest.raises(gr.Error, match=admin.DENIED):
            admin.export_eval([str(r["id"]) for r in logged], "", "", admin.ALL_USERS, request)
    assert admin.tab_visibility(gr.Request(username="chief"))["visible"] is True


def test_without_accounts_only_a_local_admin_flag_opens_it(records, monkeypatch):
    import dataclasses

    from assistant.web import admin

    monkeypatch.setattr(state, "ACCOUNTS", None)
    local, remote = request_from("127.0.0.1"), request_from("192.0.2.7")
    assert not state.CONFIG.local_admin_enabled
    assert admin.tab_visibility(local)["visible"] is False
    with pytest.raises(gr.Error, match=admin.DENIED):
        admin.show_admin("", "", admin.ALL_USERS, local)
    monkeypatch.setattr(state, "CONFIG", dataclasses.replace(state.CONFIG, local_admin="on"))
    assert admin.tab_visibility(local)["visible"] is True
    assert "共 0 条" in admin.show_admin("", "", admin.ALL_USERS, local)[-1]
    assert admin.tab_visibility(remote)["visible"] is False  # another machine never
    with pytest.raises(gr.Error, match=admin.DENIED):
        admin.show_admin("", "", admin.ALL_USERS, remote)


# ---- the conversation list ------------------------------------------------------------------------

def test_conversations_are_saved_per_user_and_per_browser_and_reopen(records):
    from assistant.web import history

    alice, bob = gr.Request(username="alice"), gr.Request(username="bob")
    browser = "3f2c9a1e-0000-4000-8000-00000000abcd"
    first = asked(["粮食产量目标是多少？"], user="alice")
    conv_id, shown = history.save_current(first, None, browser, alice)
    assert shown["choices"] == [(history.label_of(history.list_conversations(records, "user:alice")[0]), conv_id)]
    assert shown["value"] == conv_id
    longer = last(chat_tab.respond("煤炭产量目标是多少？", first, alice))[2]
    assert history.save_current(longer, conv_id, browser, alice)[0] == conv_id  # the same conversation grows

    # 新对话 starts another one; the first stays in the list
    assert chat_tab.new_chat()[-1] is None
    second_id, shown = history.save_current(asked(["稀土产业有哪些举措？"], user="alice"), None, browser, alice)
    assert second_id != conv_id and [v for _, v in shown["choices"]] == [second_id, conv_id]

    # after a reload: the list, and the first conversation as it was, with its log rows for 👍/👎
    _, listed = history.show_list(browser, alice)
    assert [v for _, v in listed["choices"]] == [second_id, conv_id] and listed["value"] is None
    turns, opened = history.open_conversation(conv_id, browser, alice)
    assert opened == conv_id and turns == longer
    assert [a["log_id"] for a in chat_tab.answers_of(turns)] == [r["id"] for r in log_rows(records, user="alice")][:2]
    textbox, chat, *_ = chat_tab.show_conversation(turns)
    assert chat["value"] == chat_tab.chat_messages(longer)

    # nobody else sees or opens it: another user, the same browser without a login, another browser
    assert history.show_list(browser, bob)[1]["choices"] == []
    assert history.show_list(browser, None)[1]["choices"] == []
    with pytest.warns(UserWarning, match="找不到这段对话"):
        assert history.open_conversation(conv_id, browser, bob) == (gr.skip(), gr.skip())
    # with accounts off, the browser id is the owner; a malformed one is no owner at all
    anon, _ = history.save_current(asked(["煤炭产量目标是多少？"]), None, browser, None)
    assert [v for _, v in history.show_list(browser, None)[1]["choices"]] == [anon]
    assert history.show_list("other-browser-1234", None)[1]["choices"] == []
    assert history.save_current(first, None, "<bad id>", None) == (None, gr.skip())


def test_no_conversation_is_saved_with_the_log_off(monkeypatch, tmp_path):
    from assistant.web import history

    monkeypatch.setattr(state, "RECORDS", Records(None))
    conversation = asked(["粮食产量目标是多少？"])
    assert history.save_current(conversation, None, "3f2c9a1e-0000-4000", None) == (None, gr.skip())
    assert "记录已关闭" in history.show_list("3f2c9a1e-0000-4000", None)[1]["info"]
    assert not list(tmp_path.iterdir())


def test_local_admin_is_on_or_off(monkeypatch):
    from assistant.config import Config
    from assistant.errors import ConfigError

    monkeypatch.setenv("PLAN_ASSISTANT_LOCAL_ADMIN", "on")
    assert Config.load().local_admin_enabled
    monkeypatch.setenv("PLAN_ASSISTANT_LOCAL_ADMIN", "maybe")
    with pytest.raises(ConfigError, match="local_admin"):
        Config.load()
    monkeypatch.delenv("PLAN_ASSISTANT_LOCAL_ADMIN")
    assert not Config.load().local_admin_enabled
