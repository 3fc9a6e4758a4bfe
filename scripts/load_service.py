"""Load test of the HTTP service against 1 and 2 workers, and of the Gradio app, side by side in one
run: N concurrent clients (the `openai` Python client, one each) asking Q questions one after
another. Prints requests/s, p50/p95 latency and errors per target. A benchmark, not a test.

    python scripts/load_service.py                       # 50 clients x 20 questions, all three targets
    python scripts/load_service.py --clients 10 --questions 5 --skip-gradio --json

Bounded: at most MAX_CLIENTS clients and MAX_QUESTIONS questions each, every request has a timeout,
every phase stops at --timeout seconds. Loopback only: it starts each server itself on a free port
of 127.0.0.1 (`plan-assistant serve`, `python app.py`), stops it by its pid when the phase ends, and
targets nothing else. The Gradio phase is scripts/load_test.py with the same numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import QUESTIONS, percentile  # noqa: E402  (the same questions as the Gradio load test)

MAX_CLIENTS = 200
MAX_QUESTIONS = 100
HOST = "127.0.0.1"
PORT_LINE = re.compile(r"http://127\.0\.0\.1:(\d+)/v1")


def start(args: list[str], log: Path) -> subprocess.Popen:
    env = dict(os.environ, NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)  # uvicorn's supervisor and Gradio both stop their own children
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until(condition, process: subprocess.Popen, log: Path, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped:\n{log.read_text(errors='replace')[-2000:]}")
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready within {timeout:.0f}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=1).close()
        return True
    except OSError:
        return False


def plan(clients: int, questions: int) -> list[list[str]]:
    return [[QUESTIONS[(c * 3 + i) % len(QUESTIONS)] for i in range(questions)] for c in range(clients)]


async def load(url: str, clients: int, questions: int, timeout: float, request_timeout: float) -> dict:
    from openai import AsyncOpenAI

    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + timeout

    async def client(qs: list[str]) -> None:
        api = AsyncOpenAI(base_url=url + "/v1", api_key="load-test", max_retries=0, timeout=request_timeout)
        try:
            for q in qs:
                if time.monotonic() > deadline:
                    return
                started = time.perf_counter()
                try:
                    reply = await api.chat.completions.create(model="plan-assistant",
                                                              messages=[{"role": "user", "content": q}])
                    if not reply.choices[0].message.content:
                        raise RuntimeError("empty answer")
                    latencies.append(time.perf_counter() - started)
                except Exception as exc:  # counted, the client goes on
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
        finally:
            await api.close()

    started = time.monotonic()
    await asyncio.gather(*(client(qs) for qs in plan(clients, questions)))
    wall = time.monotonic() - started
    return summary(len(latencies), sum(errors.values()), clients * questions, wall, latencies, errors)


def summary(ok: int, errors: int, planned: int, wall: float, latencies: list[float], kinds: dict) -> dict:
    return {"planned": planned, "ok": ok, "errors": errors, "unfinished": planned - ok - errors,
            "error_kinds": kinds, "wall_seconds": round(wall, 2), "requests_per_s": round(ok / wall, 2) if wall else 0,
            "p50": round(percentile(latencies, 50), 3), "p95": round(percentile(latencies, 95), 3)}


def service_phase(workers: int, args, tmp: Path) -> dict:
    log = tmp / f"serve-{workers}.log"
    process = start(["-m", "assistant", "serve", "--host", HOST, "--port", "0", "--workers", str(workers)], log)
    try:
        port = wait_until(lambda: (m := PORT_LINE.search(log.read_text(errors="replace"))) and m.group(1),
                          process, log, 600, "the service")
        # every worker has loaded the index (each logs it) before the clock starts
        wait_until(lambda: len(re.findall(r"worker \d+ ready", log.read_text(errors="replace"))) >= workers,
                   process, log, 600, "the workers")
        url = f"http://{HOST}:{port}"
        asyncio.run(load(url, 1, 1, 120, args.request_timeout))  # a first answer, untimed
        return asyncio.run(load(url, args.clients, args.questions, args.timeout, args.request_timeout))
    finally:
        stop(process)


def gradio_phase(args, tmp: Path) -> dict:
    log, port = tmp / "app.log", free_port()
    process = start(["app.py", "--host", HOST, "--port", str(port)], log)
    try:
        wait_until(lambda: listening(port), process, log, 300, "the Gradio app")
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "load_test.py"), "--url", f"http://{HOST}:{port}",
             "--users", str(args.clients), "--questions", str(args.questions), "--timeout", str(args.timeout),
             "--request-timeout", str(args.request_timeout), "--json"],
            capture_output=True, text=True, timeout=args.timeout + 600, cwd=ROOT)
        if not done.stdout.strip():
            raise RuntimeError(f"the Gradio load test printed nothing:\n{done.stderr[-2000:]}")
        s = json.loads(done.stdout)
        return {"planned": s["planned"], "ok": s["ok"], "errors": s["errors"], "unfinished": s["unfinished"],
                "error_kinds": s["error_kinds"], "wall_seconds": s["wall_seconds"],
                "requests_per_s": s["throughput_per_s"], "p50": s["latency_p50"], "p95": s["latency_p95"]}
    finally:
        stop(process)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=50, help=f"concurrent clients (1..{MAX_CLIENTS})")
    p.add_argument("--questions", type=int, default=20, help=f"questions per client (1..{MAX_QUESTIONS})")
    p.add_argument("--timeout", type=float, default=900, help="hard limit for each phase, seconds")
    p.add_argument("--request-timeout", type=float, default=120, help="limit for one answer, seconds")
    p.add_argument("--skip-gradio", action="store_true", help="only the HTTP service")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    args = p.parse_args(argv)
    if not (1 <= args.clients <= MAX_CLIENTS and 1 <= args.questions <= MAX_QUESTIONS and 0 < args.timeout <= 3600):
        p.error(f"--clients 1..{MAX_CLIENTS}, --questions 1..{MAX_QUESTIONS}, --timeout 0..3600")

    subprocess.run([sys.executable, "-m", "assistant", "index"], cwd=ROOT, check=True, timeout=1800)
    results = {}
    with tempfile.TemporaryDirectory(prefix="plan-assistant-load-") as tmp:
        for workers in (1, 2):
            results[f"service, {workers} worker{'s' if workers > 1 else ''}"] = service_phase(workers, args, Path(tmp))
        if not args.skip_gradio:
            results["Gradio app (app.py)"] = gradio_phase(args, Path(tmp))
    one, two = results["service, 1 worker"]["requests_per_s"], results["service, 2 workers"]["requests_per_s"]
    ratio = round(two / one, 2) if one else float("nan")

    if args.json:
        print(json.dumps({"clients": args.clients, "questions": args.questions, "cores": os.cpu_count(),
                          "results": results, "two_over_one_worker": ratio}, ensure_ascii=False, indent=2))
    else:
        print(f"{args.clients} clients x {args.questions} questions, loopback, {os.cpu_count()} cores")
        print(f"{'target':<22}{'ok/planned':>12}{'errors':>8}{'wall s':>9}{'req/s':>8}{'p50 s':>8}{'p95 s':>8}")
        for name, r in results.items():
            print(f"{name:<22}{r['ok']:>7}/{r['planned']:<4}{r['errors']:>8}{r['wall_seconds']:>9.1f}"
                  f"{r['requests_per_s']:>8.2f}{r['p50']:>8.2f}{r['p95']:>8.2f}"
                  + (f"  {r['error_kinds']}" if r["error_kinds"] else ""))
        print(f"throughput, 2 workers / 1 worker: {ratio:.2f}x")
    return 0 if all(r["errors"] == 0 and r["unfinished"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
