"""`plan-assistant eval`: retrieval metrics against the hand-written Q&A set in eval/.

Systems compared on the same embedder:
  bm25, dense, hybrid    this project's chunks; a hit is a retrieved ref among the gold refs
  naive-750/150, -250/50 the usual kit recipe: RecursiveCharacterTextSplitter on the raw file with
                         Chinese separators, FAISS, dense only, top-3; a hit is a chunk containing
                         the evidence (it has no refs to compare)
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from .config import PROJECT_ROOT

DEFAULT_SET = PROJECT_ROOT / "eval" / "qa.jsonl"
OWNERSHIP_SET = PROJECT_ROOT / "eval" / "ownership.jsonl"
# written from the plan alone, by writers who saw neither the main set nor the code (eval/README.md)
FURTHER_SETS = tuple(PROJECT_ROOT / "eval" / name for name in (
    "holdout.jsonl", "blind.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl", "blind6.jsonl",
    "blind7.jsonl", "struct.jsonl", "struct2.jsonl", "blind8.jsonl", "blind9.jsonl"))
RESULTS = PROJECT_ROOT / "eval" / "results"
KIT_SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", "，", ""]


def load_set(path: str | Path = DEFAULT_SET) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def retrievable(items: list[dict]) -> list[dict]:
    """Items with gold refs to retrieve: a quiz request names a scope, not a paragraph to find."""
    return [it for it in items if it["refs"] and it["kind"] != "quiz"]


@dataclass
class Scores:
    hit1: float
    hit3: float
    hit5: float
    mrr: float
    n: int


def score_ranks(ranks: list[int | None]) -> Scores:
    """ranks: 1-based rank of the first correct result per question, None when absent."""
    n = len(ranks)

    def at(k):
        return sum(1 for r in ranks if r is not None and r <= k) / n

    mrr = sum(1 / r for r in ranks if r is not None) / n
    return Scores(at(1), at(3), at(5), mrr, n)


def first_rank(flags: list[bool]) -> int | None:
    return next((i + 1 for i, ok in enumerate(flags) if ok), None)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


class NaiveBaseline:
    """The default recipe of general-purpose Chinese knowledge-base kits."""

    def __init__(self, raw_text: str, embedder, chunk_size: int, overlap: int, top_k: int = 3):
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(
            separators=KIT_SEPARATORS, chunk_size=chunk_size, chunk_overlap=overlap, keep_separator="end"
        )
        self.name = f"naive-{chunk_size}/{overlap}"
        self.texts = splitter.split_text(raw_text)
        self.embedder = embedder
        self.top_k = top_k
        started = time.perf_counter()
        self.index = faiss.IndexFlatIP(embedder.dim)
        self.index.add(embedder.encode(self.texts, "passage"))
        self.build_seconds = time.perf_counter() - started

    def search(self, question: str) -> list[str]:
        vec = self.embedder.encode([question], "query")
        _, ids = self.index.search(vec, self.top_k)
        return [self.texts[i] for i in ids[0] if i >= 0]


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values), p)) if values else float("nan")


def mode_scores(assistant, items: list[dict], question_of, mode: str = "hybrid") -> Scores:
    """hit@k and MRR of one retrieval mode: a hit is a gold ref among the top 5 distinct refs."""
    return score_ranks([first_rank([h.ref in item["refs"] for h in assistant.retrieve(question_of(item), k=5, mode=mode)])
                        for item in items])


def retrieval_rows(assistant, items: list[dict], question_of) -> tuple[dict[str, Scores], dict]:
    rows = {mode: mode_scores(assistant, items, question_of, mode) for mode in ("bm25", "dense", "hybrid")}
    latencies = []
    for item in items:  # warm: the index and tokenizer are loaded; each question timed once
        t = time.perf_counter()
        assistant.retrieve(question_of(item), k=5)
        latencies.append((time.perf_counter() - t) * 1000)
    return rows, {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}


def baseline_rows(assistant, items, question_of) -> tuple[dict[str, Scores], dict[str, float]]:
    from .documents.parse import load_text

    raw = load_text(assistant.config.plan)
    rows, builds = {}, {}
    for size, overlap in ((750, 150), (250, 50)):
        base = NaiveBaseline(raw, assistant.embedder, size, overlap)
        ranks = [first_rank([_squash(it["evidence"]) in _squash(t) for t in base.search(question_of(it))])
                 for it in items]
        rows[base.name] = score_ranks(ranks)
        builds[base.name] = base.build_seconds
    return rows, builds


def timed_build(assistant) -> float:
    from .retrieval.store import open_index

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        open_index(assistant.passages, assistant.embedder, assistant.doc.sha256, Path(tmp), progress=False)
        return time.perf_counter() - started


def format_table(rows: dict[str, Scores]) -> str:
    lines = ["| system | hit@1 | hit@3 | hit@5 | MRR | n |", "|---|---|---|---|---|---|"]
    for name, s in rows.items():
        lines.append(f"| {name} | {s.hit1:.3f} | {s.hit3:.3f} | {s.hit5:.3f} | {s.mrr:.3f} | {s.n} |")
    return "\n".join(lines)


def run(assistant, set_path: str | Path = DEFAULT_SET, write: bool = True, answers: bool = True) -> str:
    items = load_set(set_path)
    answerable = retrievable(items)
    question_of = retrieval_question(assistant)
    rows, latency = retrieval_rows(assistant, answerable, question_of)
    base, base_builds = baseline_rows(assistant, answerable, question_of)
    rows.update(base)
    build = timed_build(assistant)
    out = [
        f"# Evaluation — {len(items)} questions ({len(answerable)} answerable), embedder {assistant.embedder.id}",
        "",
        "## Retrieval",
        "",
        format_table(rows),
        "",
        "bm25/dense/hybrid: a hit is a gold ref among the top k distinct refs. naive-*: the kit recipe "
        "(RecursiveCharacterTextSplitter, dense only, top-3, so hit@5 = hit@3); a hit is a chunk containing "
        "the evidence.",
        "",
        f"Hybrid query latency (warm, {len(answerable)} queries): p50 {latency['p50']:.1f} ms, "
        f"p95 {latency['p95']:.1f} ms.",
        f"Index build ({len(assistant.chunks)} chunks, {len(assistant.passages)} passages): {build:.1f} s; naive baselines: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in base_builds.items()) + ".",
    ]
    if answers:
        from .evaluate_answers import answer_section

        out += ["", *answer_section(assistant, items)]
    out += ["", *further_sets_section(assistant, answers)]
    out += ["", *ownership_section(assistant)]
    text = "\n".join(out) + "\n"
    if write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    return text


def further_sets_section(assistant, answers: bool = True) -> list[str]:
    """One row per further question set: the hybrid retrieval table and the answer checks."""
    from .evaluate_answers import answer_metrics

    question_of = retrieval_question(assistant)
    lines = ["## Further question sets", "",
             "| set | questions | hybrid hit@1 | hit@3 | hit@5 | MRR | fact coverage | citation hit "
             "| out-of-scope refused | answerable refused |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for path in FURTHER_SETS:
        if not path.exists():
            continue
        items = load_set(path)
        answerable = retrievable(items)
        r = mode_scores(assistant, answerable, question_of)
        row = f"| {path.name} | {len(items)} ({len(answerable)} answerable) | {r.hit1:.3f} | {r.hit3:.3f} | " \
              f"{r.hit5:.3f} | {r.mrr:.3f} |"
        if answers:
            m = answer_metrics(assistant, items)
            row += f" {m['fact_coverage']:.3f} | {m['citation_hit']:.3f} | {m['oos_refused']} | " \
                   f"{len(m['answerable_refused'])} |"
        else:
            row += " – | – | – | – |"
        lines.append(row)
    return lines


def only_set(assistant, path: str | Path) -> str:
    """One set alone: its hybrid retrieval row and the answer checks by kind (a first run of a new set)."""
    from .evaluate_answers import answer_section

    items = load_set(path)
    answerable = retrievable(items)
    r = mode_scores(assistant, answerable, retrieval_question(assistant))
    return "\n".join([f"# {Path(path).name} — {len(items)} questions, embedder {assistant.embedder.id}", "",
                      f"Hybrid retrieval ({len(answerable)} answerable, quiz requests left out): hit@1 {r.hit1:.3f}, "
                      f"hit@3 {r.hit3:.3f}, hit@5 {r.hit5:.3f}, MRR {r.mrr:.3f}", "",
                      *answer_section(assistant, items)]) + "\n"


def ownership_section(assistant, path: Path = OWNERSHIP_SET) -> list[str]:
    """Lead-department accuracy on eval/ownership.jsonl (suggestions only: no official table)."""
    from .owners import suggest_owners
    from .tasks import ownership_eval

    if not Path(path).exists():
        return []
    result = ownership_eval(load_set(path), assistant.ledger, suggest_owners(assistant.ledger))
    misses = "; ".join(f"{m['id']} → {'、'.join(m['lead']) or '—'}" for m in result["misses"]) or "none"
    return ["## Ownership", "",
            f"Lead department accuracy (top task of `owner`, inferred from functions): "
            f"{result['accuracy']:.3f} on {result['n']} tasks. Misses: {misses}"]


def retrieval_question(assistant):
    """The question the retriever sees: a follow-up is first rewritten in the frame of its history."""
    def question_of(item: dict) -> str:
        history = item.get("history")
        if not history:
            return item["question"]
        from .chat import condense

        return condense(item["question"], history)

    return question_of


