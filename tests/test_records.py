"""The records database (assistant.records) on real SQLite files in temp folders and on real
PostgreSQL databases (a throwaway cluster, tests/pg_cluster.py): every test that takes `records` or
`records_url` runs on both. Fed with answers of the real assistant on the real plan; the LLM endpoint
is the protocol-level fake."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from fake_openai import FakeOpenAI, Reply
from fixed_clock import Clock
from openpyxl import load_workbook
from sqlalchemy import inspect, text

from assistant.config import Config
from assistant.errors import ConfigError
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
from assistant.records.engine import engine_for
from assistant.records.export import HEADERS
from assistant.records.schema import VERSION, version_of

GRAIN = "粮食产量目标是多少？"
WEATHER = "明天呼和浩特天气怎么样？"
RARE_EARTH = "稀土产业有哪些举措？"


def location(records_url: str) -> dict:
    """The configuration that names `records_url`: a SQLite file by log_path, PostgreSQL by records_url."""
    return {"records_url": records_url} if "://" in records_url else {"log_path": records_url}


def config_for(records_url: str, **values) -> Config:
    return Config.load(**location(records_url), **values)


def run_sql(records: Records, sql: str, **params) -> list:
    """Rows of `sql` run on the database as it is (no migration first)."""
    with engine_for(records.url).begin() as conn:
        result = conn.execute(text(sql), params)
        return result.all() if result.returns_rows else []


def version(records: Records) -> int:
    with engine_for(records.url).connect() as conn:
        return version_of(conn)


def stored_text(records: Records) -> str:
    """Every value of every table, as text: what a database dump would show."""
    with engine_for(records.url).connect() as conn:
        tables = inspect(conn).get_table_names()
        return "\n".join(str(row) for t in tables for row in conn.execute(text(f"SELECT * FROM {t}")))


def entry(question="q", refused=False, mode="extractive", latency_ms=100.0, user=None, refs=("四(三)",),
          reason=None):
    return LogEntry(question, f"答：{question}", tuple(refs), mode, reason, refused, latency_ms, 0, user, "web")


def test_a_new_database_is_at_the_latest_version(records):
    write_entry(records, entry())
    assert version(records) == VERSION == 7
    assert records.backend in ("sqlite", "postgresql")


def test_a_new_file_is_wal_and_intact(tmp_path):
    records = Records(tmp_path / "records.sqlite3")
    assert not records.path.exists()
    write_entry(records, entry())
    with sqlite3.connect(records.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_file_its_wal_and_a_folder_made_for_it_are_the_owners_only(tmp_path):
    tmp_path.chmod(0o755)
    old = os.umask(0o022)  # a usual umask, which alone would give 0644 and 0755
    try:
        records = Records(tmp_path / "logs" / "2026" / "records.sqlite3")
        write_entry(records, entry())
        with records.transaction() as conn:  # while a connection is open, the -wal and -shm files exist
            conn.execute(text("SELECT count(*) FROM answers")).one()
            files = sorted(records.path.parent.iterdir())
            assert [f.name for f in files] == ["records.sqlite3", "records.sqlite3-shm", "records.sqlite3-wal"]
            assert {f.name: f.stat().st_mode & 0o777 for f in files} == dict.fromkeys((f.name for f in files), 0o600)
    finally:
        os.umask(old)
    assert records.path.parent.stat().st_mode & 0o777 == 0o700
    assert records.path.parent.parent.stat().st_mode & 0o777 == 0o700
    assert tmp_path.stat().st_mode & 0o777 == 0o755  # a folder that was there is left as it was
    assert log_rows(records)[0]["question"] == "q"


V1_ROW = ('INSERT INTO answers (time, "user", source, question, history_len, answer, refs, mode, refused,'
          " latency_ms) VALUES ('2026-03-01T09:00:00.000+08:00', :user, 'web', :q, 0, 'a', '[\"主要预期目标\"]',"
          " 'extractive', 0, 12.5)")


def test_a_version_1_database_is_migrated_and_keeps_its_rows(records_url):
    old = Records(records_url)
    assert old.migrate(target=1) == 1
    run_sql(old, V1_ROW, user="alice", q=GRAIN)
    with engine_for(old.url).connect() as conn:
        assert not inspect(conn).has_table("conversations")

    records = Records(records_url)
    [row] = log_rows(records)
    assert (row["question"], row["user"], row["refs"], row["latency_ms"]) == (GRAIN, "alice", ["主要预期目标"], 12.5)
    assert save_conversation(records, "user:alice", [{"question": GRAIN, "answer": "a", "citations": []}])
    assert version(records) == VERSION


def test_a_long_question_is_stored_as_its_first_2000_characters_and_its_length(records):
    long_question = GRAIN + "请详细说明" * 1000  # 5,010 characters
    write_entry(records, entry(long_question))
    write_entry(records, entry(GRAIN))
    cut, short = log_rows(records)
    assert cut["question"] == long_question[:2000] and cut["question_chars"] == 5010
    assert short["question"] == GRAIN and short["question_chars"] is None
    table = list(csv.reader(io.StringIO(rows_csv([cut, short]))))
    assert table[0][-1] == "问题原长（字）" and [r[-1] for r in table[1:]] == ["5010", ""]


def test_a_version_2_database_gains_the_question_length_and_the_turn_counts(records_url):
    old = Records(records_url)
    assert old.migrate(target=2) == 2
    run_sql(old, V1_ROW, user=None, q=GRAIN)
    run_sql(old, "INSERT INTO conversations (id, owner, title, created, updated, turns) VALUES ('c1', 'user:a', 't',"
                 " '2026-03-01T09:00:00.000+08:00', '2026-03-01T09:00:00.000+08:00', :turns)",
            turns=json.dumps([{"question": GRAIN}, {"question": RARE_EARTH}], ensure_ascii=False))
    records = Records(records_url)
    [row] = log_rows(records)
    assert row["question"] == GRAIN and row["question_chars"] is None
    assert [(c["id"], c["turns"]) for c in list_conversations(records, "user:a")] == [("c1", 2)]
    assert version(records) == VERSION


def test_a_database_from_a_newer_build_is_refused(records_url):
    Records(records_url).migrate()
    run_sql(Records(records_url), "UPDATE schema_version SET version = 99")
    with pytest.raises(RecordsError, match="比本程序"):
        log_rows(Records(records_url))


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


def test_llm_answers_and_fallbacks_are_logged_without_credentials(assistant, records_url, monkeypatch):
    secret = "sk-test-do-not-store-0123456789"
    monkeypatch.setenv("PLAN_TEST_LLM_KEY", secret)
    with FakeOpenAI() as server:
        config = replace(assistant.config, llm_base_url=server.url + "/v1", llm_model="fake", llm_timeout=2.0,
                         llm_api_key_env="PLAN_TEST_LLM_KEY", **location(records_url))
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
    assert "do-not-store" not in stored_text(records)
    for path in records.path.parent.iterdir() if records.path else ():  # the file and its WAL
        assert secret.encode() not in path.read_bytes()


def test_an_entry_whose_request_is_logged_already_is_not_logged_again(records):
    first = write_entry(records, replace(entry(GRAIN), request_id="tests:k-1"))
    assert write_entry(records, replace(entry(GRAIN), request_id="tests:k-1")) == first  # the retry
    other = write_entry(records, replace(entry(GRAIN), request_id="tests:k-2"))
    plain = [write_entry(records, entry(GRAIN)) for _ in range(2)]  # without a key: each is a row
    assert [r["id"] for r in log_rows(records)] == [first, other, *plain] and len(set(plain)) == 2


def test_undecodable_command_line_text_is_stored_escaped(records):
    question = "粮食\udcff产量目标"  # what Python makes of a byte that is not UTF-8 in argv
    write_entry(records, entry(question))
    assert log_rows(records)[0]["question"] == "粮食\\udcff产量目标"
    cid = save_conversation(records, "user:a", [{"question": question}])
    assert load_conversation(records, "user:a", cid)["turns"] == [{"question": question}]


def test_credentials_are_scrubbed_from_what_is_stored(records_url, monkeypatch):
    monkeypatch.setenv("PLAN_TEST_LLM_KEY", "sk-live-abcdef123456")
    config = config_for(records_url, llm_api_key_env="PLAN_TEST_LLM_KEY",
                        llm_base_url="http://svc:pw-secret-42@127.0.0.1:9/v1")
    records = Records.open(config)
    write_entry(records, entry("我的密钥 sk-live-abcdef123456 和 pw-secret-42 能用吗"))
    [row] = log_rows(records)
    assert row["question"] == "我的密钥 *** 和 *** 能用吗"


def test_the_database_password_is_never_stored_or_shown(pg_cluster, monkeypatch, caplog):
    url = pg_cluster.new_database()
    password = pg_cluster.password
    monkeypatch.setenv("PLAN_ASSISTANT_RECORDS_URL", url)
    records = Records.open(Config.load())
    assert records.backend == "postgresql" and password in url
    write_entry(records, entry(f"数据库密码是 {password} 吗"))
    assert log_rows(records)[0]["question"] == "数据库密码是 *** 吗"
    assert password not in stored_text(records)
    assert records.where() == url.replace(password, "***")
    # a wrong password and a server that is not there: the message names the database, never the password
    for bad in (pg_cluster.url(url.rsplit("/", 1)[1], password="wrong-" + password),
                url.replace(f":{pg_cluster.port}/", ":9/")):
        with pytest.raises(RecordsError) as e:
            write_entry(Records(bad), entry())
        assert "无法打开记录数据库 postgresql+psycopg://plan_test:***@127.0.0.1:" in str(e.value)
        assert password not in str(e.value) and "\n" not in str(e.value)
    assert all(password not in r.getMessage() for r in caplog.records)


def test_records_url_wins_and_a_bad_one_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_RECORDS_URL", f"sqlite:///{tmp_path}/shared.sqlite3")
    records = Records.open(Config.load(log_path=str(tmp_path / "other.sqlite3")))
    write_entry(records, entry())
    assert records.path == tmp_path / "shared.sqlite3" and records.path.exists()
    assert not (tmp_path / "other.sqlite3").exists()
    for bad, words in (("mysql://u:topsecret@db/plan", "只能是 SQLite 文件"), ("sqlite:///", "只能是 SQLite 文件"),
                       ("postgresql://u:topsecret@db:port/x", "无效")):
        monkeypatch.setenv("PLAN_ASSISTANT_RECORDS_URL", bad)
        with pytest.raises(ConfigError, match=words) as e:
            Config.load()
        assert "topsecret" not in str(e.value)


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


def test_days_rates_latency_and_most_asked(records_url):
    clock = Clock(datetime(2026, 3, 1, 9, 0).astimezone())
    records = Records(records_url, clock=clock)
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


def test_retention_and_purge(records_url):
    path = records_url
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
    assert run_sql(kept, "SELECT count(*) FROM feedback") == [(0,)]

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
