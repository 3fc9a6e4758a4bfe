"""Answers per second through nginx with 1 and then 2 replicas of `plan-assistant serve`, logging into
one PostgreSQL database: N concurrent clients (the `openai` Python client, one thread each) asking Q
questions one after another. A benchmark, not a test; it prints one line per setup and the ratio.

    python scripts/load_replicas.py                       # 20 clients x 20 questions
    python scripts/load_replicas.py --clients 40 --questions 10 --json

It starts everything itself on loopback ports and stops it: a throwaway PostgreSQL cluster, the
replicas (each `--workers 1`) over the configured index folder (built first if missing), and nginx
with the README's config (tests/pg_cluster.py, tests/nginx_proxy.py, tests/service_process.py).
Bounded: at most MAX_CLIENTS clients and MAX_QUESTIONS questions each, each request with a timeout.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from concurrent_clients import run_clients  # noqa: E402
from nginx_proxy import Nginx  # noqa: E402
from pg_cluster import Cluster  # noqa: E402
from service_process import Service  # noqa: E402

MAX_CLIENTS, MAX_QUESTIONS = 100, 100
TOKEN = "load-replicas-token-0123"
QUESTIONS = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "煤炭产量目标是多少？", "新能源装机目标是多少？",
             "地区生产总值增长目标是多少？", "城镇新增就业目标是多少？", "居民消费价格涨幅控制在多少？",
             "明天呼和浩特天气怎么样？", "如何推进黄河流域生态保护？", "农牧民收入增长目标是多少？"]


def load(url: str, clients: int, questions: int) -> dict:
    import openai

    client = openai.OpenAI(base_url=url + "/v1", api_key=TOKEN, max_retries=0, timeout=120)
    latencies, errors, lock = [], [], threading.Lock()

    def run(n: int):
        for i in range(questions):
            started = time.perf_counter()
            try:
                client.chat.completions.create(model="plan-assistant",
                                               messages=[{"role": "user", "content": QUESTIONS[(n + i) % len(QUESTIONS)]}])
                with lock:
                    latencies.append(time.perf_counter() - started)
            except openai.OpenAIError as e:
                with lock:
                    errors.append(repr(e)[:120])

    elapsed = run_clients(run, clients, 900)
    latencies.sort()
    return {"answers": len(latencies), "errors": len(errors), "seconds": round(elapsed, 1),
            "answers_per_s": round(len(latencies) / elapsed, 1),
            "p50_s": round(latencies[len(latencies) // 2], 2) if latencies else None,
            "p95_s": round(latencies[int(len(latencies) * 0.95)], 2) if latencies else None}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--questions", type=int, default=20)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    clients, questions = min(args.clients, MAX_CLIENTS), min(args.questions, MAX_QUESTIONS)
    from assistant.config import Config

    index_dir = Config.load().index_path
    subprocess.run([sys.executable, "-m", "assistant", "index"], cwd=ROOT, check=True)  # built once, before
    folder = Path(tempfile.mkdtemp(prefix="load-replicas-"))
    (folder / "tokens.txt").write_text(f"load:{TOKEN}\n")
    cluster = Cluster.start()
    results = {}
    try:
        for replicas in (1, 2):
            url = cluster.new_database()
            services = [Service(folder, index_dir, "--tokens-file", str(folder / "tokens.txt"),
                                PLAN_ASSISTANT_RECORDS_URL=url) for _ in range(replicas)]
            try:
                for s in services:
                    s.__enter__()
                for s in services:
                    s.wait_ready()
                proxy_dir = folder / f"nginx-{replicas}"
                proxy_dir.mkdir()
                with Nginx(proxy_dir, api=[s.url.removeprefix("http://") for s in services], web=[]) as proxy:
                    load(proxy.api_url, min(clients, 4), 2)  # warm-up: first answers load lazily built parts
                    results[replicas] = load(proxy.api_url, clients, questions)
            finally:
                for s in services:
                    s.__exit__(None, None, None)
            if not args.json:
                print(f"{replicas} replica(s): {results[replicas]}", flush=True)
    finally:
        cluster.stop()
    ratio = results[2]["answers_per_s"] / results[1]["answers_per_s"] if results[1]["answers_per_s"] else None
    if args.json:
        print(json.dumps({"clients": clients, "questions": questions, "results": results, "ratio": ratio}))
    else:
        print(f"{clients} clients x {questions} questions; 2 replicas / 1 replica = {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
