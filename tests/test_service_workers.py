"""`plan-assistant serve --workers 2`: the index is built once before the workers start, the
service keeps answering while a worker is killed, a new worker takes its place at once, and no
worker outlives a killed supervisor.

The index folder is fresh, so that a build happens and can be counted; the plan is the bundled
plan's first part (header, opening paragraphs, part 一), which keeps that build short."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai
import pytest
from service_process import Service, clean_env

from assistant.documents.parse import load_text

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


def health_of_each(url: str, pids: set[int]) -> dict[int, int]:
    """compute_threads from /healthz as each worker in `pids` answers it (a new connection each time,
    so that every worker takes some)."""
    seen: dict[int, int] = {}
    deadline = time.monotonic() + 60
    while set(seen) != pids and time.monotonic() < deadline:
        r = httpx.get(url + "/healthz", timeout=30)
        seen[int(r.headers["x-plan-assistant-worker"])] = r.json()["compute_threads"]
    return seen


def test_two_workers_share_one_build_and_survive_a_killed_worker(short_plan, tmp_path):
    index_dir = tmp_path / "index"
    with Service(tmp_path, index_dir, "--workers", "2", plan=str(short_plan)) as svc:
        health = svc.wait_ready()
        first, second = sorted(wait_for(lambda: len(svc.workers()) == 2 and svc.workers()))
        # both have loaded the index before one is killed (a worker killed while loading never says so)
        wait_for(lambda: all(f"worker {pid} ready" in svc.log() for pid in (first, second)))
        # each worker computes on one thread: pinned before the OpenMP runtime loaded
        assert health_of_each(svc.url, {first, second}) == {first: 1, second: 1}
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


def test_a_killed_worker_is_replaced_and_answering_within_3_seconds_every_time(short_plan, tmp_path):
    """Ten SIGKILLs in a row. While each replacement is awaited, the surviving worker is stopped
    (SIGSTOP), so that the question can only be answered by the new worker."""
    with Service(tmp_path, tmp_path / "index", "--workers", "2", plan=str(short_plan)) as svc:
        svc.wait_ready()
        client = openai.OpenAI(base_url=svc.url + "/v1", api_key="unused", max_retries=0, timeout=10)
        answered_by(client)
        took = []
        for round_ in range(10):
            workers = wait_for(lambda: len(svc.workers()) == 2 and svc.workers())
            victim, survivor = sorted(workers)[round_ % 2], sorted(workers)[1 - round_ % 2]
            os.kill(survivor, signal.SIGSTOP)
            try:
                started = time.monotonic()
                os.kill(victim, signal.SIGKILL)
                pid = answered_by(client)
                took.append(time.monotonic() - started)
            finally:
                os.kill(survivor, signal.SIGCONT)
            assert pid not in (victim, survivor) and pid in svc.workers()
        print("replacement answered after", ", ".join(f"{t:.2f}s" for t in took))
        assert max(took) < 3.0, took


def test_workers_stop_when_the_supervisor_is_killed_and_the_port_is_free_again(short_plan, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    index_dir = tmp_path / "index"
    with Service(tmp_path, index_dir, "--workers", "2", "--port", str(port), plan=str(short_plan)) as svc:
        svc.wait_ready()
        workers = wait_for(lambda: len(svc.workers()) == 2 and svc.workers())
        svc.process.kill()  # SIGKILL: the supervisor cannot stop its workers itself
        svc.process.wait()
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() and not zombie(pid) for pid in workers), timeout=10)
    with Service(tmp_path, index_dir, "--workers", "2", "--port", str(port), plan=str(short_plan)) as again:
        assert again.url.endswith(f":{port}") and again.wait_ready()["status"] == "ok"


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def test_ipv6_loopback_is_served_or_refused_with_the_reason(short_plan, tmp_path):
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        ipv6 = True
    except OSError:
        ipv6 = False
    if not ipv6:
        done = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", "[::1]", "--port", "0"],
                              capture_output=True, text=True, env=clean_env(tmp_path / "index"), timeout=120)
        assert done.returncode == 2 and "本机没有地址 ::1" in done.stderr and "占用" not in done.stderr
        return
    with Service(tmp_path, tmp_path / "index", "--host", "[::1]", plan=str(short_plan)) as svc:
        assert svc.url.startswith("http://[::1]:")
        svc.wait_ready()
        client = openai.OpenAI(base_url=svc.url + "/v1", api_key="unused", max_retries=0)
        assert answered_by(client) in svc.workers()


def test_a_port_in_use_is_named_as_such(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "assistant", "serve", "--port", str(port)],
                              capture_output=True, text=True, env=clean_env(tmp_path / "index"), timeout=120)
    assert done.returncode == 2 and f"端口 {port} 已被占用" in done.stderr and "Traceback" not in done.stderr


def test_without_prctl_a_worker_still_stops_once_its_parent_is_gone(tmp_path):
    """The fallback where the kernel is not asked (no prctl): the watch thread sees the parent change."""
    marker = tmp_path / "stopped"
    code = f"""
import os, signal
from assistant.service.supervise import watch_parent
parent = os.getpid()
if os.fork() == 0:
    signal.signal(signal.SIGTERM, lambda *_: (open({str(marker)!r}, "w").write("SIGTERM"), os._exit(0)))
    watch_parent(parent, every=0.05, grace=30)
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)  # the parent exits at once
    wait_for(marker.exists, timeout=10)
    assert marker.read_text() == "SIGTERM"
