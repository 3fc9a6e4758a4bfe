"""The 学员成绩 figures, computed from papers (`papers.Paper`) and their submissions (the dicts of
`records.list_submissions`): plain functions, no database, no page.

Every submission is listed; the figures (average, most missed questions, accuracy by chapter) count
each trainee's first submission of a paper only, since a second one comes after the explanations
were shown. A question's chapter is the plan part its ref lies in (四 for 四(三) and for a row of
专栏2), or the ref itself before the parts (主要预期目标).

    submission_rows({7: paper}, subs)[0]
    -> {'paper': 7, 'title': '能源测验', 'trainee': 'alice', 'attempt': 1, 'time': '2026-03-02 09:15',
        'score': 9, 'total': 10, 'rate': 0.9, 'seconds': 312.0, 'late': False, 'results': [...]}
"""

from __future__ import annotations

import re
from collections import Counter

from ..documents.parse import Document
from ..documents.refs import UnknownRef
from .papers import BLANK, RIGHT, WRONG, Paper

OTHER = "其他"
_QUOTE = re.compile(r"原文：“(.+?)”")


def chapter_of(doc: Document, ref: str) -> str:
    try:
        node = doc.get(ref)
    except UnknownRef:  # a paper made from an earlier plan text
        return OTHER
    return node.part or node.ref


def chapter_label(doc: Document, chapter: str) -> str:
    """'四、大力发展现代能源经济，…' for a part, the title for a ref before the parts."""
    try:
        node = doc.get(chapter)
    except UnknownRef:
        return chapter
    return f"{node.ref}、{node.title}" if node.kind == "part" else node.title or node.ref


def chapter_order(doc: Document) -> dict[str, int]:
    return {n.ref: i for i, n in enumerate(doc.walk())}


def first_attempts(subs: list[dict]) -> list[dict]:
    """Each trainee's first submission of each paper."""
    return [s for s in subs if s["attempt"] == 1]


def rate(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


def submission_rows(papers: dict[int, Paper], subs: list[dict]) -> list[dict]:
    """One row per submission, in the order given."""
    out = []
    for s in subs:
        paper = papers.get(s["paper_id"])
        out.append({"paper": s["paper_id"], "title": paper.title if paper else "", "trainee": s["trainee"],
                    "attempt": s["attempt"], "time": s["time"][:16].replace("T", " "), "score": s["score"],
                    "total": s["total"], "rate": rate(s["score"], s["total"]), "seconds": s["seconds"],
                    "late": s["late"], "results": s["results"]})
    return out


def paper_summary(paper: Paper, subs: list[dict]) -> dict:
    """trainees (who submitted), submissions, average / highest / lowest first score, late ones."""
    firsts = first_attempts(subs)
    scores = [s["score"] for s in firsts]
    return {"trainees": len({s["trainee"] for s in subs}), "submissions": len(subs),
            "average": round(sum(scores) / len(scores), 1) if scores else None,
            "highest": max(scores, default=None), "lowest": min(scores, default=None),
            "late": sum(s["late"] for s in firsts), "total": len(paper.questions)}


def most_missed(doc: Document, paper: Paper, subs: list[dict], limit: int | None = 5) -> list[dict]:
    """The paper's questions answered wrong or left blank, most missed first (then in paper order),
    each with the paragraph to review: its ref, title and text, and the clause the question quotes."""
    firsts = [s for s in first_attempts(subs) if s["paper_id"] == paper.id]
    rows = []
    for i, q in enumerate(paper.questions):
        counts = Counter(s["results"][i] for s in firsts if i < len(s["results"]))
        missed = counts[WRONG] + counts[BLANK]
        if not missed:
            continue
        try:
            node = doc.get(q.ref)
            title, text = node.title, node.text or node.full_text()
        except UnknownRef:
            title, text = "", ""
        quote = _QUOTE.search(q.explanation)
        rows.append({"number": i + 1, "kind": q.kind, "prompt": q.prompt, "answer": q.keyed_answer,
                     "wrong": counts[WRONG], "blank": counts[BLANK], "missed": missed, "taken": len(firsts),
                     "ref": q.ref, "title": title, "text": text, "quote": quote[1] if quote else "",
                     "chapter": chapter_of(doc, q.ref)})
    rows.sort(key=lambda r: (-r["missed"], r["number"]))
    return rows[:limit] if limit else rows


def chapter_accuracy(doc: Document, papers: dict[int, Paper], subs: list[dict]) -> list[dict]:
    """Per trainee and chapter: right answers of the questions asked there, in first submissions;
    by trainee, then chapters in plan order."""
    right: Counter = Counter()
    asked: Counter = Counter()
    for s in first_attempts(subs):
        paper = papers.get(s["paper_id"])
        if paper is None:
            continue
        for q, result in zip(paper.questions, s["results"], strict=False):
            key = (s["trainee"], chapter_of(doc, q.ref))
            asked[key] += 1
            right[key] += result == RIGHT
    order = chapter_order(doc)
    keys = sorted(asked, key=lambda k: (k[0], order.get(k[1], len(order)), k[1]))
    return [{"trainee": t, "chapter": c, "label": chapter_label(doc, c), "right": right[(t, c)],
             "total": asked[(t, c)], "rate": rate(right[(t, c)], asked[(t, c)])} for t, c in keys]
