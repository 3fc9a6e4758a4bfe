"""Run the generated set through the assistant and report: a row per kind (right, n, share), three
misses of each kind, ask latency; the items with their verdicts for --json; the items alone as JSON
lines for --dump."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import KINDS
from .judge import judge

EXAMPLES_PER_KIND = 3


@dataclass
class Result:
    item: dict
    answer: object  # assistant.types.Answer
    problem: str | None
    ms: float


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Result]:
        return [r for r in self.results if r.item["kind"] == kind]

    def by_kind(self) -> dict[str, tuple[int, int]]:
        return {kind: (sum(r.problem is None for r in mine), len(mine))
                for kind in KINDS if (mine := self.of_kind(kind))}

    def latency(self, p: float, kind: str | None = None) -> float:
        ms = [r.ms for r in (self.of_kind(kind) if kind else self.results)]
        return float(np.percentile(ms, p)) if ms else float("nan")


def run(assistant, items: list[dict], progress: bool = True) -> Report:
    from tqdm import tqdm

    report = Report()
    for item in tqdm(items, desc="自测", unit="题", disable=not progress):
        started = time.perf_counter()
        ans = assistant.ask(item["question"], item.get("history"))
        ms = (time.perf_counter() - started) * 1000
        report.results.append(Result(item, ans, judge(item, ans, assistant.doc), ms))
    return report


def table(report: Report) -> list[str]:
    lines = ["| kind | right | n | share | ask p50 ms |", "|---|---|---|---|---|"]
    rows = report.by_kind()
    for kind, (ok, n) in rows.items():
        lines.append(f"| {kind} | {ok} | {n} | {ok / n:.3f} | {report.latency(50, kind):.0f} |")
    ok, n = sum(v[0] for v in rows.values()), sum(v[1] for v in rows.values())
    if n:
        lines.append(f"| **all** | {ok} | {n} | {ok / n:.3f} | {report.latency(50):.0f} |")
    return lines


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ⏎ ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def examples(report: Report, per_kind: int = EXAMPLES_PER_KIND) -> list[str]:
    lines = []
    for kind in KINDS:
        misses = [r for r in report.of_kind(kind) if r.problem][:per_kind]
        if not misses:
            continue
        lines += ["", f"**{kind}**", ""]
        for r in misses:
            lines.append(f"- `{r.item['id']}` {_one_line(r.item['question'])} — {r.problem}")
            lines.append(f"  - answer: {_one_line(r.answer.text)}")
    return lines


def markdown(report: Report, title: str) -> str:
    out = [f"# {title}", "",
           f"{len(report.results)} generated questions; ask latency p50 {report.latency(50):.1f} ms, "
           f"p95 {report.latency(95):.1f} ms (warm).", "", *table(report), "",
           f"Examples of misses (up to {EXAMPLES_PER_KIND} per kind):", *examples(report)]
    return "\n".join(out) + "\n"


def verdicts_json(report: Report) -> list[dict]:
    return [{**r.item, "answer": r.answer.text, "cited": [c.ref for c in r.answer.citations],
             "refused": r.answer.refused, "right": r.problem is None, "problem": r.problem, "ms": round(r.ms, 1)}
            for r in report.results]


def dump(items: list[dict], path: str | Path) -> None:
    """The items as JSON lines, the format of the sets in eval/."""
    with open(path, "w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
