"""Answer metrics for `plan-assistant eval`: what the extractive answerer says, checked against the
expected strings and the evidence of each hand-written question, and judged by kind of question:

    count        the computed number (field "count") is in the answer, with the expected items
    premise      a wrong premise is corrected ("不是…"), a right one is not; the plan's figure is given
    multi        a part the plan has no figure for ("missing") is said to be missing, the others answered
    quiz         a quiz of "n" questions, every cited ref inside the asked scope ("refs", ["*"] = all)
    yesno        "answer" yes: leads with 有/Yes and quotes the expected text; no: leads with "计划没有提到…"
                 and is not refused (an absent subject is an answer, not a refusal)
    answer "no"  of another kind (an English target the plan sets none for): says so first, refused or not
    out_of_scope refused
A question whose item names what the plan lacks ("missing") is right when the answer says it lacks it,
whether the answer also declines to give a figure (refused) or not.
"""

from __future__ import annotations

import re
import time

import numpy as np

CORRECTION = re.compile(r"不是|不对|有误|并非|不准确|not\b", re.I)
MISSING = re.compile(r"没有给出|未写明|没有涉及|没有提到|没有明确|not state|not mention", re.I)
YES = re.compile(r"^\s*(?:有[。，,]|是的|Yes\b)", re.I)
MISSING_LEAD = 120  # "The plan does not state a target for …" comes first, before any related text
ABSENT = re.compile(r"^\s*(?:计划(?:原文)?没有提到|No\b)", re.I)
QUIZ_ITEM = re.compile(r"^\s*(?:Q?\d{1,3}[.、．)]|第\d{1,3}题)", re.M)
STRUCTURE_KINDS = ("overview", "count", "cross", "multi", "ordinal", "premise", "quiz", "qualitative", "yesno")


def in_scope(doc, ref: str, scope: list[str]) -> bool:
    """A ref under one of the scope refs (a part covers its sections and its 专栏)."""
    from .documents.targets import scope_refs

    return "*" in scope or any(ref in scope_refs(doc, s) for s in scope)


def judge(item: dict, ans, doc=None) -> str | None:
    """None when the answer is right for its kind of question, else what is wrong with it. An item of
    the generated self-test (field "source") is judged by its own checks (`assistant.selftest.judge`)."""
    if item.get("source") == "generated":
        from .selftest.judge import judge as judge_generated

        return judge_generated(item, ans, doc)
    kind = item["kind"]
    if kind == "yesno" and item.get("answer") == "no":
        if ans.refused:
            return "refused (an absent subject is an answer)"
        return None if ABSENT.search(ans.text) else "does not say the plan does not mention it"
    if item.get("answer") == "no":  # another kind about what the plan lacks (an English target it sets none for)
        lead = ans.text[:MISSING_LEAD]
        return None if ABSENT.search(ans.text) or MISSING.search(lead) else "does not say the plan has no such thing"
    if kind == "yesno" and not YES.search(ans.text):
        return "no yes/no lead"
    if not item["refs"]:
        return None if ans.refused else "answered an out-of-scope question"
    if ans.refused:
        if item.get("missing") and not item["expect"] and MISSING.search(ans.text):
            return None
        return "refused"
    if kind == "quiz":
        n = len(QUIZ_ITEM.findall(ans.text.split("答案")[0]))
        outside = [c.ref for c in ans.citations if doc is not None and not in_scope(doc, c.ref, item["refs"])]
        if n != item.get("n", 5):
            return f"{n} quiz questions, {item.get('n', 5)} asked"
        return f"cites outside the scope: {', '.join(outside)}" if outside else None
    missing = [e for e in item["expect"] if e not in ans.text]
    if kind == "count" and str(item["count"]) not in ans.text:
        missing.insert(0, f"count {item['count']}")
    if missing:
        return "missing " + ", ".join(missing)
    if kind == "premise":
        corrected = bool(CORRECTION.search(ans.text[:40]))
        if item["premise"] == "wrong" and not corrected:
            return "wrong premise not corrected"
        if item["premise"] == "right" and corrected:
            return "right premise called wrong"
    if item.get("missing") and not MISSING.search(ans.text):
        return "does not say what the plan lacks"
    return None


def _answered_no(it: dict) -> bool:
    """A question whose answer is that the plan does not say it (a yes/no question, an English target
    the plan sets none for): answerable, not out of scope."""
    return it.get("answer") == "no"


def answer_metrics(assistant, items: list[dict]) -> dict:
    answerable = [it for it in items if it["refs"] or it.get("source") == "generated" or _answered_no(it)]
    oos = [it for it in items if it not in answerable]
    facts, cited_hit, precision, refused_ok, latencies, followups = [], [], [], [], [], []
    wrongly_refused, misses, by_kind = [], [], {}
    for it in items:
        if _answered_no(it):
            it = dict(it, refs=it["refs"] or ["*"])  # answerable: the answer is that the plan does not say it
        started = time.perf_counter()
        ans = assistant.ask(it["question"], it.get("history"))
        latencies.append((time.perf_counter() - started) * 1000)
        problem = judge(it, ans, assistant.doc)
        by_kind.setdefault(it["kind"], []).append(problem is None)
        if problem:
            misses.append(f"{it['id']} {problem}")
        if not it["refs"] and it.get("source") != "generated":  # a generated absent subject is answered
            refused_ok.append(ans.refused)
            continue
        if ans.refused and not (it.get("answer") == "no" and it["kind"] != "yesno"):
            wrongly_refused.append(it["id"])
        facts.append(problem is None)
        if it.get("history"):
            followups.append(problem is None)
        if ans.citations and it["evidence"]:
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
        "by_kind": {k: (sum(v), len(v)) for k, v in by_kind.items()},
        "ask_p50_ms": float(np.percentile(latencies, 50)),
        "ask_p95_ms": float(np.percentile(latencies, 95)),
        "misses": misses,
    }


def kind_table(by_kind: dict[str, tuple[int, int]]) -> list[str]:
    lines = ["| kind | right | n | share |", "|---|---|---|---|"]
    for kind, (ok, n) in sorted(by_kind.items(), key=lambda kv: (kv[0] not in STRUCTURE_KINDS, kv[0])):
        lines.append(f"| {kind} | {ok} | {n} | {ok / n:.3f} |")
    return lines


def answer_section(assistant, items: list[dict]) -> list[str]:
    m = answer_metrics(assistant, items)
    return [
        "## Answers (extractive mode)",
        "",
        "| metric | value |",
        "|---|---|",
        f"| fact coverage (right for its kind: expected strings, count, premise, quiz), {m['n_answerable']} "
        f"answerable | {m['fact_coverage']:.3f} |",
        f"| citation hit (a cited ref contains the evidence) | {m['citation_hit']:.3f} |",
        f"| citation precision (share of citations containing the evidence) | {m['citation_precision']:.3f} |",
        f"| out-of-scope questions refused | {m['oos_refused']} |",
        f"| answerable questions refused | {len(m['answerable_refused'])} ({', '.join(m['answerable_refused'])}) |",
        f"| follow-ups answered about the right topic | {m['followups']} |",
        f"| ask latency p50 / p95 (warm) | {m['ask_p50_ms']:.1f} / {m['ask_p95_ms']:.1f} ms |",
        "",
        "By kind of question:",
        "",
        *kind_table(m["by_kind"]),
        "",
        "Misses: " + ("; ".join(m["misses"]) if m["misses"] else "none"),
    ]
