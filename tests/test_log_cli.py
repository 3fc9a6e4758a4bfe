"""`plan-assistant ask` logs what it answers, and `plan-assistant log` shows exactly that: questions
asked through the real CLI on the real plan, read back in every format, with the records in a SQLite
file (PLAN_ASSISTANT_LOG_PATH) and in a PostgreSQL database (PLAN_ASSISTANT_RECORDS_URL)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from datetime import date, timedelta

import pytest
from conftest import BACKENDS, records_location
from openpyxl import load_workbook

from assistant.cli import main
from assistant.records import Records, log_rows, set_feedback
from assistant.records.engine import dispose_all

ASKED = ["粮食产量目标是多少？", "明天呼和浩特天气怎么样？", "稀土产业有哪些举措？"]
TODAY = date.today().isoformat()
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def variable(where: str) -> str:
    """The environment variable that names `where`."""
    return "PLAN_ASSISTANT_RECORDS_URL" if "://" in where else "PLAN_ASSISTANT_LOG_PATH"


@pytest.fixture(scope="module", params=BACKENDS)
def logged(request, assistant, tmp_path_factory):
    """The three questions asked with `plan-assistant ask`, the third as a follow-up with a history file;
    a 👎 on the first. Returns where the records are (a file's path or a database's URL)."""
    folder = tmp_path_factory.mktemp("log-cli")
    path = records_location(request, request.param, folder)
    history = folder / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": "煤炭产量目标是多少？"},
                                   {"role": "assistant", "content": "煤炭产量稳定在12.5亿吨以上。"}],
                                  ensure_ascii=False), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(variable(path), str(path))
        mp.setenv("PLAN_ASSISTANT_INDEX_DIR", str(assistant.config.index_path))
        assert main(["ask", ASKED[0]]) == 0
        assert main(["ask", ASKED[1], "--json"]) == 0
        assert main(["ask", ASKED[2], "--history", str(history)]) == 0
        assert main(["ask", "不记录的问题是什么？", "--no-log"]) == 0
        mp.setenv("PLAN_ASSISTANT_LOG", "off")
        assert main(["ask", "也不记录这个问题"]) == 0
    set_feedback(Records(path), 1, "down", reason="数字不对", comment="核对一下")
    yield path
    dispose_all()


@pytest.fixture
def log(logged, monkeypatch, capsys):
    monkeypatch.setenv(variable(logged), str(logged))
    capsys.readouterr()

    def run(*argv, code=0):
        assert main(["log", *argv]) == code
        return capsys.readouterr()

    return run


def test_json_is_what_was_asked(log, assistant):
    rows = json.loads(log("--json").out)
    assert [r["question"] for r in rows] == ASKED  # --no-log and log=off wrote nothing
    assert [r["refused"] for r in rows] == [False, True, False]
    assert [r["history_len"] for r in rows] == [0, 0, 2]
    assert {r["source"] for r in rows} == {"cli"} and {r["user"] for r in rows} == {None}
    expected = assistant.ask(ASKED[0])
    assert rows[0]["answer"] == expected.text and rows[0]["refs"] == [c.ref for c in expected.citations]
    assert rows[0]["time"].startswith(TODAY) and rows[0]["mode"] == "extractive"
    assert (rows[0]["vote"], rows[0]["reason"], rows[0]["comment"]) == ("down", "数字不对", "核对一下")
    assert json.loads(log("--format", "json").out) == rows


def test_filters(log):
    assert [r["question"] for r in json.loads(log("--refused", "--json").out)] == [ASKED[1]]
    assert [r["question"] for r in json.loads(log("--feedback", "down", "--json").out)] == [ASKED[0]]
    assert json.loads(log("--feedback", "up", "--json").out) == []
    assert len(json.loads(log("--since", TODAY, "--json").out)) == 3
    assert json.loads(log("--since", TOMORROW, "--json").out) == []
    assert [r["question"] for r in json.loads(log("--limit", "1", "--json").out)] == [ASKED[2]]
    assert json.loads(log("--user", "alice", "--json").out) == []
    assert "YYYY-MM-DD" in log("--since", "2026/03/01", code=2).err


def test_table_and_csv(log):
    out = log().out
    assert [line[len("  问："):] for line in out.splitlines() if line.startswith("  问：")] == ASKED
    assert "〔摘录，拒答〕" in out and "👎 数字不对 核对一下" in out and "[主要预期目标]" in out
    table = list(csv.reader(io.StringIO(log("--format", "csv").out)))
    assert table[0][4] == "问题" and [r[4] for r in table[1:]] == ASKED
    assert [r[10] for r in table[1:]] == ["否", "是", "否"]


def test_files_and_eval_items(log, tmp_path):
    out = tmp_path / "log.xlsx"
    assert "3 条" in log("--format", "xlsx", "--output", str(out)).err
    sheet = list(load_workbook(out).active.values)
    assert [r[4] for r in sheet[1:]] == ASKED
    assert "--output" in log("--format", "xlsx", code=2).err
    items = [json.loads(line) for line in log("--feedback", "down", "--format", "eval").out.splitlines()]
    assert [(i["question"], i["kind"], i["feedback"]) for i in items] == [(ASKED[0], "review", "数字不对；核对一下")]
    assert "主要预期目标" in items[0]["refs"]


def test_exports_are_written_readable_by_their_owner_only(log, tmp_path):
    old = os.umask(0o022)  # a usual umask, which alone would give 0644
    try:
        for fmt, name in (("csv", "log.csv"), ("xlsx", "log.xlsx"), ("json", "log.json"), ("eval", "log.jsonl")):
            log("--format", fmt, "--output", str(tmp_path / name))
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, fmt
    finally:
        os.umask(old)


def copy_of(where: str, request, folder) -> str:
    if "://" in where:
        dispose_all()  # a database is copied only while nobody is connected to it
        return request.getfixturevalue("pg_cluster").new_database(template=where.rsplit("/", 1)[1])
    copy = folder / "copy.sqlite3"
    with sqlite3.connect(where) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return str(copy)


def test_purge(logged, log, tmp_path, monkeypatch, request):
    copy = copy_of(logged, request, tmp_path)
    run = log
    monkeypatch.setenv(variable(copy), copy)
    assert "0 条" in run("purge", "--before", TODAY).out
    assert len(log_rows(Records(copy))) == 3
    assert "3 条" in run("purge", "--before", TOMORROW).out
    assert log_rows(Records(copy)) == [] and json.loads(run("--json").out) == []
    assert run("purge", "--before", "soon", code=2).err.startswith("错误：")
    assert len(log_rows(Records(logged))) == 3


def test_no_file_yet(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("PLAN_ASSISTANT_RECORDS_URL", raising=False)
    monkeypatch.setenv("PLAN_ASSISTANT_LOG_PATH", str(tmp_path / "none.sqlite3"))
    assert main(["log"]) == 0
    assert "还没有记录" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()
