"""Answer metrics for `plan-assistant eval`: what the extractive answerer says, checked against the
expected strings and the evidence of each hand-written question."""

from __future__ import annotations

import time

import numpy as np


def answer_metrics(assistant, items: list[dict]) -> dict:
    answerable = [it for it in items if it["refs"]]
    oos = [it for it in items if not it["refs"]]
    facts, cited_hit, precision, refused_ok, latencies, followups = [], [], [], [], [], []
    wrongly_refused, misses = [], []
    for it in items:
        started = time.perf_counter()
        ans = assistant.ask(it["question"], it.get("history"))
        latencies.append((time.perf_counter() - started) * 1000)
        if not it["refs"]:
            refused_ok.append(ans.refused)
            if not ans.refused:
                misses.append(f"{it['id']} answered an out-of-scope question")
            continue
        if ans.refused:
            wrongly_refused.append(it["id"])
        covered = all(e in ans.text for e in it["expect"])
        facts.append(covered)
        if not covered:
            misses.append(f"{it['id']} missing {', '.join(e for e in it['expect'] if e not in ans.text)}")
        if it.get("history"):
            followups.append(covered)
        if ans.citations:
            has = [it["evidence"] in c.text for c in ans.citations]
            cited_hit.append(any(has))
            precision.extend(has)
    return {
        "n_answerable": len(answerable),
        "fact_coverage": float(np.mean(facts)) if facts else float("nan"),
        "citation_hit": float(np.mean(cited_hit)) if cited_hit else float("nan"),
        "citation_precision": float(np.mean(precision)) if precision else float("nan"),
        "oos_refused": f"{sum(refused_ok)}/{len(oos)}",
        "answerable_refused": wrongly_refused,
        "followups": f"{sum(followups)}/{len(followups)}",
        "ask_p50_ms": float(np.percentile(latencies, 50)),
        "ask_p95_ms": float(np.percentile(latencies, 95)),
        "misses": misses,
    }


def answer_section(assistant, items: list[dict]) -> list[str]:
    m = answer_metrics(assistant, items)
    lines = [
        "## Answers (extractive mode)",
        "",
        "| metric | value |",
        "|---|---|",
        f"| fact coverage (all expected strings in the answer), {m['n_answerable']} answerable | {m['fact_coverage']:.3f} |",
        f"| citation hit (a cited ref contains the evidence) | {m['citation_hit']:.3f} |",
        f"| citation precision (share of citations containing the evidence) | {m['citation_precision']:.3f} |",
        f"| out-of-scope questions refused | {m['oos_refused']} |",
        f"| answerable questions refused | {len(m['answerable_refused'])} ({', '.join(m['answerable_refused'])}) |",
        f"| follow-ups answered about the right topic | {m['followups']} |",
        f"| ask latency p50 / p95 (warm) | {m['ask_p50_ms']:.1f} / {m['ask_p95_ms']:.1f} ms |",
        "",
        "Misses: " + ("; ".join(m["misses"]) if m["misses"] else "none"),
    ]
    return lines
