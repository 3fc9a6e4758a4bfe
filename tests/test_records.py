"""The records database (assistant.records) on real SQLite files in temp folders, fed with answers
of the real assistant on the real plan; the LLM endpoint is the protocol-level fake."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from fake_openai import FakeOpenAI, Reply
from openpyxl import load_workbook

from assistant.config import Config
from assistant.records import (
    REASONS,
    LogEntry,
    Records,
    RecordsError,
    delete_conversation,
    down_rows,
    eval_items,
    list_conversations,
    load_conversation,
    log_answer,
    log_rows,
    owner_of,
    per_day,
    refused_rows,
    rows_csv,
    rows_xlsx,
    save_conversation,
    set_feedback,
    summary,
    users,
    write_entry,
)
from assistant.records.export import HEADERS
from assistant.records.schema import VERSION, migrate, version_of

GRAIN = "粮食产量目标是多少？"
WEATHER = "明天呼和浩特天气怎么样？"
RARE_EARTH = "稀土产业有哪些举措？"


class Clock:
    """A settable clock for the records (the rows' times), so days and retention can be tested."""

    def __init__(self, when: datetime):
        self.when = when

    def __call__(self) -> datetime:
        return self.when


@pytest.fixture
def records(tmp_path):
    return Records(tmp_path / "records.sqlite3")


def entry(question="q", refused=False, mode="extractive", latency_ms=100.0, user=None, refs=("四(三)",),
          reason=None):
    return LogEntry(question, f"答：{question}", tuple(refs), mode, reason, refused, latency_ms, 0, user, "web")


def test_new_file_is_wal_and_at_the_latest_version(records):
    assert not records.path.exists()
    write_entry(records, entry())
    with sqlite3.connect(records.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert version_of(conn) == VERSION == 2
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_version_1_file_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute("INSERT INTO answers (time, user, source, question, history_len, answer, refs, mode, refused,"
                 " latency_ms) VALUES ('2026-03-01T09:00:00.000+08:00', 'alice', 'web', ?, 0, 'a', '[\"主要预期目标\"]',"
                 " 'extractive', 0, 12.5)", (GRAIN,))
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'conversations'").fetchone()[0] == 0
    conn.close()

    records = Records(path)
    [row] = log_rows(records)
    assert (row["question"], row["user"], row["refs"], row["latency_ms"]) == (GRAIN, "alice", ["主要预期目标"], 12.5)
    assert save_conversation(records, "user:alice", [{"question": GRAIN, "answer": "a", "citations": []}])
    with sqlite3.connect(path) as conn:
        assert version_of(conn) == VERSION


def test_a_file_from_a_newer_build_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    with pytest.raises(RecordsError, match="比本程序"):
        log_rows(Records(path))


def test_real_answers_are_logged_as_shown(assistant, records):
    grain = assistant.ask(GRAIN)
    weather = assistant.ask(WEATHER)
    history = [{"role": "user", "content": GRAIN}, {"role": "assistant", "content": grain.text}]
    first = log_answer(records, grain, latency_s=0.25, user="alice", question=GRAIN)
    second = log_answer(records, weather, latency_s=0.5, history=history, user="bob", question=WEATHER)
    assert second == first + 1
    rows = log_rows(records)
    assert [r["id"] for r in rows] == [first, second]
    g, w = rows
    assert (g["question"], g["answer"], g["user"], g["source"], g["history_len"]) == (GRAIN, grain.text, "alice", "web", 0)
    assert g["refs"] == [c.ref for c in grain.citations] and "主要预期目标" in g["refs"]
    assert (g["mode"], g["fallback_reason"], g["refused"], g["latency_ms"]) == ("extractive", None, False, 250.0)
    assert (w["question"], w["refused"], w["history_len"], w["user"]) == (WEATHER, True, 2, "bob")
    assert refused_rows(records) == [w]
    assert log_rows(records, user="alice") == [g]
    assert users(records) == ["alice", "bob"]


def test_llm_answers_and_fallbacks_are_logged_without_credentials(assistant, tmp_path, monkeypatch):
    secret = "sk-test-do-not-store-0123456789"
    monkeypatch.setenv("PLAN_TEST_LLM_KEY", secret)
    with FakeOpenAI() as server:
        config = replace(assistant.config, llm_base_url=server.url + "/v1", llm_model="fake", llm_timeout=2.0,
                         llm_api_key_env="PLAN_TEST_LLM_KEY", log_path=str(tmp_path / "r.sqlite3"))
        llm = replace(assistant, config=config)
        records = Records.open(config)
        server.script(Reply("粮食产量超过840亿斤 [主要预期目标]"))
        good = llm.ask(GRAIN)
        server.script(Reply("unavailable", status=500))
        failed = llm.ask(GRAIN)
        assert server.requests and all("do-not-store" not in json.dumps(r) for r in server.requests)
    refused = llm.ask(WEATHER)
    for answer in (good, failed, refused):
        log_answer(records, answer, latency_s=0.1, user="alice", question=answer.question)
    rows = log_rows(records)
    assert [(r["mode"], r["refused"]) for r in rows] == [("llm", False), ("fallback", False), ("extractive", True)]
    assert rows[1]["fallback_reason"] == failed.notice and "HTTP 500" in failed.notice
    s = summary(records)
    assert (s["llm_answers"], s["fallbacks"], s["fallback_rate"]) == (2, 1, 0.5)
    for path in records.path.parent.iterdir():  # the database and its WAL
        assert secret.encode() not in path.read_bytes()


def test_undecodable_command_line_text_is_stored_escaped(records):
    question = "粮食\udcff产量目标"  # what Python makes of a byte that is not UTF-8 in argv
    write_entry(records, entry(question))
    assert log_rows(records)[0]["question"] == "粮食\\udcff产量目标"
    cid = save_conversation(records, "user:a", [{"question": question}])
    assert load_conversation(records, "user:a", cid)["turns"] == [{"question": question}]


def test_credentials_are_scrubbed_from_what_is_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_TEST_LLM_KEY", "sk-live-abcdef123456")
    config = Config.load(log_path=str(tmp_path / "r.sqlite3"), llm_api_key_env="PLAN_TEST_LLM_KEY",
                         llm_base_url="http://svc:pw-secret-42@127.0.0.1:9/v1")
    records = Records.open(config)
    write_entry(records, entry("我的密钥 sk-live-abcdef123456 和 pw-secret-42 能用吗"))
    [row] = log_rows(records)
    assert row["question"] == "我的密钥 *** 和 *** 能用吗"


def test_off_writes_nothing(assistant, tmp_path, monkeypatch):
    path = tmp_path / "off.sqlite3"
    answer = assistant.ask(GRAIN)
    off = Records.open(Config.load(log_path=str(path), log="off"))
    assert not off.enabled
    assert log_answer(off, answer, latency_s=0.1) is None
    assert save_conversation(off, "user:a", [{"question": GRAIN}]) is None
    set_feedback(off, 1, "up")
    assert log_rows(off) == [] and list_conversations(off, "user:a") == []
    monkeypatch.setenv("PLAN_ASSISTANT_LOG", "off")
    assert log_answer(Records.open(Config.load(log_path=str(path))), answer, latency_s=0.1) is None
    monkeypatch.delenv("PLAN_ASSISTANT_LOG")
    assert log_answer(Records.open(Config.load(log_path=str(path)), enabled=False), answer, latency_s=0.1) is None
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="on 或 off"):
        Config.load(log="maybe")


def test_default_file_is_beside_the_index(tmp_path, monkeypatch):
    monkeypatch.delenv("PLAN_ASSISTANT_LOG_PATH", raising=False)
    config = Config.load(index_dir=str(tmp_path / "index"))
    assert config.log_file == tmp_path / "records.sqlite3"
    monkeypatch.setenv("PLAN_ASSISTANT_LOG_RETENTION_DAYS", "30")
    assert Config.load().log_retention_days == 30


def test_feedback_up_down_reasons_and_who_may_give_it(records):
    mine = write_entry(records, entry(GRAIN, user="alice"))
    anonymous = write_entry(records, entry(RARE_EARTH))
    set_feedback(records, mine, "up", user="alice")
    assert log_rows(records, vote="up")[0]["id"] == mine
    set_feedback(records, mine, "down", reason="数字不对", comment="应为840亿斤", user="alice")
    [row] = down_rows(records)
    assert (row["id"], row["vote"], row["reason"], row["comment"]) == (mine, "down", "数字不对", "应为840亿斤")
    assert log_rows(records, vote="up") == []
    set_feedback(records, anonymous, "down", reason="答非所问")
    assert [r["id"] for r in down_rows(records)] == [mine, anonymous]
    set_feedback(records, anonymous, None)
    assert [r["id"] for r in down_rows(records)] == [mine]
    with pytest.raises(RecordsError, match="自己"):
        set_feedback(records, mine, "down", reason="其他", user="bob")
    with pytest.raises(RecordsError, match="原因"):
        set_feedback(records, mine, "down", reason="太长", user="alice")
    with pytest.raises(RecordsError, match="没有这条"):
        set_feedback(records, 9999, "up")
    with pytest.raises(RecordsError, match="up 或 down"):
        set_feedback(records, mine, "sideways", user="alice")
    assert REASONS == ("数字不对", "引用不对", "没有回答问题", "答非所问", "其他")


def test_conversations_per_owner(records):
    turns = [{"question": GRAIN, "answer": "粮食产量超过840亿斤。[主要预期目标]", "mode": "extractive",
              "citations": [{"ref": "主要预期目标", "title": "主要预期目标", "text": "……粮食产量超过840亿斤……"}]}]
    alice, browser = owner_of("alice"), owner_of(None, "b-123")
    assert (alice, browser) == ("user:alice", "browser:b-123")
    with pytest.raises(RecordsError):
        owner_of(None, None)
    cid = save_conversation(records, alice, turns)
    other = save_conversation(records, browser, turns[:0])
    loaded = load_conversation(records, alice, cid)
    assert loaded["turns"] == turns and loaded["title"] == GRAIN
    assert load_conversation(records, browser, cid) is None  # not the browser's
    longer = turns + [{"question": "那新能源呢？", "answer": "…", "citations": []}]
    assert save_conversation(records, alice, longer, cid) == cid
    assert save_conversation(records, browser, longer, cid) != cid  # another owner's id: a new one
    listed = list_conversations(records, alice)
    assert [(c["id"], c["turns"]) for c in listed] == [(cid, 2)]
    assert [c["title"] for c in list_conversations(records, browser)] == [GRAIN, "新对话"]
    assert other in {c["id"] for c in list_conversations(records, browser)}
    assert not delete_conversation(records, browser, cid)
    assert delete_conversation(records, alice, cid)
    assert load_conversation(records, alice, cid) is None and list_conversations(records, alice) == []
    with pytest.raises(RecordsError):
        save_conversation(records, alice, "not a list")


def test_days_rates_latency_and_most_asked(tmp_path):
    clock = Clock(datetime(2026, 3, 1, 9, 0).astimezone())
    records = Records(tmp_path / "r.sqlite3", clock=clock)
    for i, latency in enumerate([100, 200, 300, 400, 500]):
        write_entry(records, entry(GRAIN if i % 2 == 0 else "粮食产量目标是多少? ", latency_ms=latency, user="alice"))
    clock.when += timedelta(days=1)
    write_entry(records, entry(WEATHER, refused=True, latency_ms=1000, user="bob"))
    write_entry(records, entry(RARE_EARTH, latency_ms=50, user="bob"))
    assert per_day(records) == [{"day": "2026-03-01", "questions": 5, "refused": 0},
                                {"day": "2026-03-02", "questions": 2, "refused": 1}]
    s = summary(records)
    assert (s["questions"], s["refused"], s["refusal_rate"]) == (7, 1, 1 / 7)
    assert (s["p50_ms"], s["p95_ms"]) == (300, 1000)
    assert s["fallback_rate"] is None and s["llm_answers"] == 0
    assert s["most_asked"][0] == {"question": GRAIN, "count": 5}
    day2 = summary(records, since="2026-03-02")
    assert (day2["questions"], day2["refusal_rate"], day2["p50_ms"]) == (2, 0.5, 50)
    assert summary(records, until="2026-03-02")["questions"] == 5
    assert summary(records, user="bob")["questions"] == 2
    assert summary(records, since="2026-04-01")["refusal_rate"] is None
    with pytest.raises(RecordsError, match="YYYY-MM-DD"):
        summary(records, since="March")


def test_retention_and_purge(tmp_path):
    path = tmp_path / "r.sqlite3"
    clock = Clock(datetime(2025, 1, 10, 12, 0).astimezone())
    old = Records(path, clock=clock)
    old_id = write_entry(old, entry("去年的问题"))
    set_feedback(old, old_id, "down", reason="其他")
    save_conversation(old, "user:a", [{"question": "去年的问题"}])
    clock.when = datetime(2026, 3, 1, 12, 0).astimezone()
    write_entry(old, entry("今年的问题"))  # the same Records: retention is off (0 days)
    assert len(log_rows(old)) == 2

    kept = Records(path, retention_days=365, clock=clock)  # opening applies retention
    assert [r["question"] for r in log_rows(kept)] == ["今年的问题"]
    assert down_rows(kept) == [] and list_conversations(kept, "user:a") == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0

    clock.when = datetime(2026, 3, 5, 12, 0).astimezone()
    write_entry(kept, entry("三月五日的问题"))
    assert kept.purge("2026-03-02") == 1
    assert [r["question"] for r in log_rows(kept)] == ["三月五日的问题"]
    with pytest.raises(RecordsError):
        kept.purge("yesterday")


def test_exports_parse_back(records, assistant):
    grain = log_answer(records, assistant.ask(GRAIN), latency_s=0.2, user="alice", question=GRAIN)
    log_answer(records, assistant.ask(WEATHER), latency_s=0.3, user="alice", question=WEATHER)
    set_feedback(records, grain, "down", reason="引用不对", comment="=HYPERLINK(\"x\")", user="alice")
    rows = log_rows(records)

    table = list(csv.reader(io.StringIO(rows_csv(rows))))
    assert table[0] == HEADERS and table[0][:5] == ["编号", "时间", "用户", "来源", "问题"]
    assert [r[4] for r in table[1:]] == [GRAIN, WEATHER]
    assert [r[10] for r in table[1:]] == ["否", "是"] and table[1][12:14] == ["👎", "引用不对"]

    wb = load_workbook(io.BytesIO(rows_xlsx(rows)))
    sheet = list(wb.active.values)
    assert list(sheet[0]) == HEADERS and [r[4] for r in sheet[1:]] == [GRAIN, WEATHER]
    assert sheet[1][14] == "'=HYPERLINK(\"x\")"  # a formula typed as text stays text

    items = [json.loads(line) for line in eval_items(rows).splitlines()]
    assert items[0] == {"id": f"log{grain}", "question": GRAIN, "kind": "review", "refs": rows[0]["refs"],
                        "evidence": "", "expect": [], "feedback": "引用不对；=HYPERLINK(\"x\")"}
    assert (items[1]["kind"], items[1]["refs"]) == ("out_of_scope", [])
    assert "主要预期目标" in items[0]["refs"]
