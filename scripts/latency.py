"""Latency of the running web app's chat, as a user feels it: time to the first answer text and
to the full answer, p50/p95 over a fixed set of questions. Starts nothing itself.

    python app.py &                        # or any running deployment
    python scripts/latency.py --url http://127.0.0.1:7860 [--user u --password p]

TTFT is the time from submitting until the first output whose last chat message is answer text
(the app first echoes the question with a "pending" spinner message; that does not count).
Full is the time until the job's last output.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time

QUESTIONS = [
    "粮食产量目标是多少？",
    "稀土产业有哪些举措？",
    "防沙治沙任务由哪个部门牵头？",
    "What is the GDP growth target?",
    "地区生产总值增长目标是多少？",
    "城镇新增就业目标是多少？",
    "新能源装机规模要达到多少？",
    "煤炭产量目标是多少？",
    "今年要新建多少公里高速公路？",
    "如何推进“三北”工程攻坚战？",
    "自由贸易试验区有哪些工作安排？",
    "养老服务有哪些举措？",
    "城镇调查失业率控制在多少？",
    "居民消费价格涨幅目标是多少？",
    "如何优化营商环境？",
    "科技创新方面有哪些重点任务？",
    "文旅产业如何提档升级？",
    "生育友好型社会建设有哪些措施？",
    "那新能源呢？",
    "What measures are planned for rare earth industry?",
]


def is_answer_text(chatbot) -> bool:
    """The last message is the assistant's answer text, not the pending spinner."""
    if not chatbot:
        return False
    last = chatbot[-1]
    if last.get("role") != "assistant" or (last.get("metadata") or {}).get("status") == "pending":
        return False
    content = last.get("content")
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return bool(str(content or "").strip())


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def measure(client, question: str, api_name: str) -> tuple[float, float]:
    started = time.perf_counter()
    ttft = None
    job = client.submit(question, api_name=api_name)
    for output in job:
        if ttft is None and is_answer_text(output[1]):
            ttft = time.perf_counter() - started
    job.result()  # raises if the app raised
    full = time.perf_counter() - started
    return (ttft if ttft is not None else full), full


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://127.0.0.1:7860")
    p.add_argument("--api-name", default="/chat")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = p.parse_args(argv)

    from gradio_client import Client

    auth = (args.user, args.password) if args.user else None
    client = Client(args.url, auth=auth, verbose=False, analytics_enabled=False)
    measure(client, "粮食产量目标是多少？", args.api_name)  # warm-up: the app may still be loading its index
    ttfts, fulls = [], []
    for q in QUESTIONS:
        ttft, full = measure(client, q, args.api_name)
        ttfts.append(ttft)
        fulls.append(full)
        if not args.json:
            print(f"{ttft:6.2f}s {full:6.2f}s  {q}", file=sys.stderr)
    result = {
        "url": args.url, "questions": len(QUESTIONS),
        "ttft_p50": percentile(ttfts, 50), "ttft_p95": percentile(ttfts, 95),
        "full_p50": percentile(fulls, 50), "full_p95": percentile(fulls, 95),
        "full_mean": statistics.fmean(fulls),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{len(QUESTIONS)} questions to {args.url}{args.api_name}")
        print(f"time to first token  p50 {result['ttft_p50']:.2f}s  p95 {result['ttft_p95']:.2f}s")
        print(f"full answer          p50 {result['full_p50']:.2f}s  p95 {result['full_p95']:.2f}s"
              f"  (mean {result['full_mean']:.2f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
