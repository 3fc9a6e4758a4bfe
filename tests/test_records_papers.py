"""Assigned quiz papers and submissions in the records store (assistant.records.papers), on a real
SQLite file and on a real PostgreSQL database (every test taking `records` or `records_url` runs on
both, like tests/test_records.py)."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from fixed_clock import Clock
from sqlalchemy import inspect, text

from assistant.records import (
    Records,
    RecordsError,
    add_paper,
    add_submission,
    attempts_of,
    get_paper,
    list_papers,
    list_submissions,
    log_rows,
)
from assistant.records.engine import engine_for
from assistant.records.schema import VERSION

QUESTIONS = [
    {"id": "Q01", "kind": "choice", "prompt": "（粮食）粮食产量超过____", "choices": ["840亿斤", "420亿斤"],
     "answer": "840亿斤", "ref": "主要预期目标", "explanation": "主要预期目标原文：“粮食产量超过840亿斤”"},
    {"id": "Q02", "kind": "truefalse", "prompt": "判断正误：…", "choices": ["对", "错"], "answer": "对",
     "ref": "四(三)", "explanation": "四(三)原文：“…”，与题述一致。"},
]
OPTIONS = {"chapter": "四", "kinds": ["choice", "truefalse"], "difficulty": None, "n": 2}


def paper(records, paper_id=123456, creator="wang", attempts=1, **more) -> bool:
    return add_paper(records, paper_id, creator=creator, title=more.pop("title", "能源与粮食测验"), options=OPTIONS,
                     questions=QUESTIONS, attempts=attempts, **more)


def submit(records, paper_id, trainee, results=("right", "wrong"), answers=("840亿斤", "错"), seconds=95.04,
           late=False):
    return add_submission(records, paper_id, trainee, answers=list(answers), results=list(results), seconds=seconds,
                          late=late)


def test_a_paper_is_stored_under_its_number_once_and_read_back_as_made(records):
    assert get_paper(records, 123456) is None and list_papers(records) == []  # nothing written by reading
    assert paper(records, due="2026-03-31T23:59:59.999+08:00")
    assert not paper(records, creator="li", title="另一份")  # the number is taken: nothing replaced
    stored = get_paper(records, 123456)
    assert (stored["creator"], stored["title"], stored["due"], stored["attempts"]) == (
        "wang", "能源与粮食测验", "2026-03-31T23:59:59.999+08:00", 1)
    assert stored["questions"] == QUESTIONS and stored["options"] == OPTIONS
    assert paper(records, 7, creator="li", attempts=2, title="第二份")
    assert [p["id"] for p in list_papers(records, creator="wang")] == [123456]
    assert [p["id"] for p in list_papers(records, creator="li")] == [7]
    assert {p["id"] for p in list_papers(records)} == {7, 123456} and list_papers(records, creator="zhao") == []
    assert get_paper(records, 8) is None


def test_submissions_are_counted_per_trainee_up_to_what_the_paper_allows(records):
    paper(records, 1)
    paper(records, 2, attempts=2)
    assert submit(records, 1, "alice") == 1
    assert submit(records, 1, "alice", results=("right", "right")) is None  # once only: nothing stored
    assert submit(records, 1, "bob", results=("blank", "blank"), answers=("", ""), late=True) == 1
    assert [submit(records, 2, "alice") for _ in range(3)] == [1, 2, None]
    assert (attempts_of(records, 1, "alice"), attempts_of(records, 2, "alice"), attempts_of(records, 2, "bob")) == (1, 2, 0)

    first = list_submissions(records, paper_ids=[1])
    assert [(s["trainee"], s["attempt"], s["score"], s["total"], s["late"]) for s in first] == [
        ("alice", 1, 1, 2, False), ("bob", 1, 0, 2, True)]
    assert first[0]["answers"] == ["840亿斤", "错"] and first[0]["results"] == ["right", "wrong"]
    assert first[0]["seconds"] == 95.0 and first[1]["answers"] == ["", ""]
    assert [(s["paper_id"], s["attempt"]) for s in list_submissions(records, trainee="alice")] == [(1, 1), (2, 1), (2, 2)]
    assert len(list_submissions(records)) == 4 and list_submissions(records, paper_ids=[]) == []
    assert list_submissions(records, paper_ids=[1, 2], trainee="bob")[0]["paper_id"] == 1

    with pytest.raises(RecordsError, match="没有编号为 99 的布置试卷"):
        submit(records, 99, "alice")
    with pytest.raises(RecordsError, match="不对应"):
        submit(records, 2, "carol", results=("right",))
    with pytest.raises(RecordsError, match="不对应"):
        submit(records, 2, "carol", results=("right", "maybe"))
    assert attempts_of(records, 2, "carol") == 0


def test_submissions_sent_at_the_same_moment_are_one_attempt(records):
    """A double click, or two tabs: eight submissions of a once-only paper at once store one (four
    papers in a row, so that the race is run more than once)."""
    for number in range(5, 9):
        paper(records, number)
        start, got = threading.Barrier(8), []

        def send(number=number, start=start, got=got):
            start.wait()
            got.append(submit(records, number, "alice"))

        threads = [threading.Thread(target=send) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(got, key=lambda x: x or 0) == [None] * 7 + [1]
        assert len(list_submissions(records, paper_ids=[number])) == 1


def test_a_version_6_database_gains_the_paper_tables_and_keeps_its_rows(records_url):
    old = Records(records_url)
    assert old.migrate(target=6) == 6
    with engine_for(old.url).begin() as conn:  # a row written by the build before papers
        assert not inspect(conn).has_table("papers")
        conn.execute(text('INSERT INTO answers (time, "user", source, question, history_len, answer, refs, mode,'
                          " refused, latency_ms) VALUES ('2026-03-01T09:00:00.000+08:00', 'alice', 'web',"
                          " '粮食产量目标是多少？', 0, '答', '[]', 'extractive', 0, 10.0)"))

    records = Records(records_url)
    assert paper(records)
    assert submit(records, 123456, "alice") == 1
    assert [r["question"] for r in log_rows(records)] == ["粮食产量目标是多少？"]
    with engine_for(records.url).connect() as conn:
        assert {"papers", "submissions"} <= set(inspect(conn).get_table_names())
        from assistant.records.schema import version_of

        assert version_of(conn) == VERSION == 7


def test_papers_and_results_outlive_the_logs_retention(records_url):
    clock = Clock(datetime(2025, 1, 10, 12, 0).astimezone())
    old = Records(records_url, clock=clock)
    paper(old)
    submit(old, 123456, "alice")
    clock.when = datetime(2026, 3, 1, 12, 0).astimezone()
    kept = Records(records_url, retention_days=30, clock=clock)
    assert kept.purge("2026-02-01") == 0
    assert get_paper(kept, 123456)["created"].startswith("2025-01-10")
    assert [s["trainee"] for s in list_submissions(kept)] == ["alice"]


def test_records_that_are_off_hold_no_paper(tmp_path):
    off = Records(None)
    assert get_paper(off, 1) is None and list_papers(off) == [] and list_submissions(off) == []
    assert attempts_of(off, 1, "alice") == 0
    with pytest.raises(RecordsError, match="记录已关闭"):
        paper(off)
    assert list(tmp_path.iterdir()) == []
