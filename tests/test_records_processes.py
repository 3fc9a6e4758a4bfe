"""The records under several writer processes and under a writer killed mid-write, on a real SQLite
file and a real PostgreSQL database, with real processes: the guarantees are SQLite's WAL (or
PostgreSQL's transactions) plus one row per transaction."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from assistant.records import LogEntry, Records, log_rows, write_entry

ROOT = Path(__file__).resolve().parent.parent

# A writer: waits for the go file, writes `count` rows (questions NAME-0, NAME-1, …, answers of `size`
# characters) and prints each row id once its transaction has committed.
WRITER = """
import os, sys, time
from assistant.records import LogEntry, Records, write_entry
where, name, count, size, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
while not os.path.exists(go):
    time.sleep(0.01)
records = Records(where)
for i in range(count):
    row = write_entry(records, LogEntry(f"{name}-{i}", "答" * size, ("四(三)",), "extractive", None, False, 1.0,
                                        0, name, "web"))
    print(row, flush=True)
"""


def committed_ids(where: str) -> list[int]:
    """The answers' ids as a fresh connection finds them (SQLite: after its integrity check, which also
    recovers the WAL of the killed writer)."""
    if "://" in where:
        import psycopg

        with psycopg.connect(where.replace("postgresql+psycopg://", "postgresql://")) as conn:
            return [r[0] for r in conn.execute("SELECT id FROM answers ORDER BY id")]
    with sqlite3.connect(where) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [r[0] for r in conn.execute("SELECT id FROM answers ORDER BY id")]


def start_writer(where, name, count, size, go) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(where), name, str(count), str(size), str(go)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_concurrent_writers_lose_and_duplicate_no_row(records_url, tmp_path):
    path, go = records_url, tmp_path / "go"
    writers, per_writer = 4, 150
    procs = [start_writer(path, f"w{n}", per_writer, 200, go) for n in range(writers)]
    go.touch()  # all start at once on a database none has created yet: they race the schema too
    acked = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        acked += [int(x) for x in out.split()]
    rows = log_rows(Records(path))
    questions = [r["question"] for r in rows]
    expected = {f"w{n}-{i}" for n in range(writers) for i in range(per_writer)}
    lost, duplicated = len(expected - set(questions)), len(questions) - len(set(questions))
    print(f"\n{writers} processes x {per_writer} rows: {len(rows)} rows, lost {lost}, duplicated {duplicated}")
    assert (lost, duplicated) == (0, 0)
    assert sorted(acked) == [r["id"] for r in rows]  # every id a writer was given is a row, once
    for n in range(writers):  # each writer's rows in its own order
        mine = [int(q.split("-")[1]) for q in questions if q.startswith(f"w{n}-")]
        assert mine == list(range(per_writer))


def test_a_writer_killed_mid_write_loses_at_most_the_row_in_flight(records_url, tmp_path):
    path, go = records_url, tmp_path / "go"
    go.touch()
    acked: list[int] = []
    for _round in range(3):
        p = start_writer(path, f"k{_round}", 100_000, 200_000, go)  # big rows: most of its time is in writes
        seen = 0
        while seen < 5:
            line = p.stdout.readline()
            assert line, p.stderr.read()
            acked.append(int(line))
            seen += 1
        time.sleep(0.05 * _round)
        os.kill(p.pid, signal.SIGKILL)
        out, _ = p.communicate(timeout=30)
        acked += [int(x) for x in out.split()]
        assert p.returncode == -signal.SIGKILL

        ids = committed_ids(path)
        assert set(acked) <= set(ids)  # nothing that was committed is gone
        assert len(ids) - len(acked) <= _round + 1  # at most the row in flight of each killed writer
        if "://" not in path:  # PostgreSQL's ids may skip the one a killed insert had taken
            assert ids == list(range(1, len(ids) + 1))

    after = Records(path)
    new = write_entry(after, LogEntry("after", "a", (), "extractive", None, False, 1.0))
    assert log_rows(after)[-1]["id"] == new and log_rows(after)[-1]["question"] == "after"
