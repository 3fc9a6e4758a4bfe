"""`plan-assistant serve --workers 2`: the index is built once before the workers start, the
service keeps answering while a worker is killed, and uvicorn starts a new one in its place.

The index folder is fresh, so that a build happens and can be counted; the plan is the bundled
plan's first part (header, opening paragraphs, part 一), which keeps that build short."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import openai
import pytest
from service_process import Service

from assistant.parse import load_text

GRAIN = [{"role": "user", "content": "粮食产量目标是多少？"}]


@pytest.fixture(scope="module")
def short_plan(tmp_path_factory) -> Path:
    lines = load_text().splitlines(keepends=True)
    end = next(i for i, line in enumerate(lines) if line.startswith("二、"))
    path = tmp_path_factory.mktemp("plan") / "plan-part-one.txt"
    path.write_text("".join(lines[:end]), encoding="utf-8")
    return path


def answered_by(client) -> int:
    """Ask the grain question; the pid of the worker that answered it."""
    raw = client.chat.completions.with_raw_response.create(model="plan-assistant", messages=GRAIN)
    assert "粮食产量超过840亿斤" in raw.parse().choices[0].message.content
    return int(raw.headers["x-plan-assistant-worker"])


def wait_for(condition, timeout: float = 120, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not within {timeout}s")


def test_two_workers_share_one_build_and_survive_a_killed_worker(short_plan, tmp_path):
    index_dir = tmp_path / "index"
    with Service(tmp_path, index_dir, "--workers", "2", plan=str(short_plan)) as svc:
        health = svc.wait_ready()
        first, second = sorted(wait_for(lambda: len(svc.workers()) == 2 and svc.workers()))
        # both have loaded the index before one is killed (a worker killed while loading never says so)
        wait_for(lambda: all(f"worker {pid} ready" in svc.log() for pid in (first, second)))
        for pid in (first, second):  # threads pinned in each worker's environment
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"OMP_NUM_THREADS=1" in environ and b"OPENBLAS_NUM_THREADS=1" in environ
        built_at = health["index_built_at"]
        # the client's default retries: a kept-alive connection to a killed worker is reset, and the
        # client asks again on a new connection, which a live worker takes
        client = openai.OpenAI(base_url=svc.url + "/v1", api_key="unused", max_retries=2)

        os.kill(first, signal.SIGKILL)
        served = {answered_by(client) for _ in range(6)}  # the other worker keeps serving
        assert served and first not in served
        restarted = wait_for(lambda: svc.workers() - {first, second})  # uvicorn started a new one
        wait_for(lambda: all(f"worker {pid} ready" in svc.log() for pid in restarted))

        os.kill(second, signal.SIGKILL)  # now only restarted workers can answer
        assert answered_by(client) in svc.workers() - {first, second}
        health = svc.wait_ready()
        assert health["worker_pid"] not in (first, second) and health["index_built_here"] is False
        assert health["index_built_at"] == built_at  # restarted workers load the index, never rebuild it
        def two_replacements():
            new = svc.workers() - {first, second}
            return new if len(new) == 2 else None

        replacements = wait_for(two_replacements)
        wait_for(lambda: all(f"worker {pid} ready" in svc.log() for pid in replacements))
        log = svc.log()
    for pid in {first, second} | replacements:  # every worker, the restarted ones too, only loaded the index
        assert f"worker {pid} ready: 24 passages, index loaded" in log
    assert log.count("索引已构建") == 1 and "索引已是最新" not in log  # built once, before the workers
    assert "index built" not in log
