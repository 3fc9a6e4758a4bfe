"""Per-question verdicts of every eval set, to compare two builds question by question.

    python scripts/verdicts.py > before.json     # on one build
    python scripts/verdicts.py --compare before.json   # on another: lost and gained questions per set

A verdict is what `plan-assistant eval` counts (assistant/evaluate_answers.judge): None = right.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from assistant.api import Assistant
from assistant.evaluate import DEFAULT_SET, FURTHER_SETS, load_set
from assistant.evaluate_answers import judge


def verdicts(assistant, paths) -> dict:
    out = {}
    for path in paths:
        rows = {}
        for item in load_set(path):
            ans = assistant.ask(item["question"], item.get("history"))
            rows[item["id"]] = judge(item, ans, assistant.doc)
        out[path.name] = rows
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--compare", help="verdicts JSON of another build")
    args = ap.parse_args()
    assistant = Assistant.load(progress=False)
    started = time.perf_counter()
    now = verdicts(assistant, [DEFAULT_SET, *FURTHER_SETS])
    print(f"{sum(map(len, now.values()))} questions in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if not args.compare:
        json.dump(now, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    before = json.load(open(args.compare, encoding="utf-8"))
    for name, rows in now.items():
        old = before.get(name, {})
        lost = [f"{i}: {v}" for i, v in rows.items() if v and not old.get(i)]
        gained = [i for i, v in rows.items() if not v and old.get(i)]
        right = sum(v is None for v in rows.values())
        print(f"{name}: {right}/{len(rows)} right (before {sum(v is None for v in old.values())}); "
              f"lost {len(lost)}, gained {len(gained)} {gained}")
        for line in lost:
            print("   lost", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
