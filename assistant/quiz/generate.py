"""Questions of each kind made from the plan, and a quiz picked from them (`generate_quiz`)."""

from __future__ import annotations

import random

from ..documents.parse import Document
from ..documents.targets import Target, clause_span, extract_targets, scope_refs
from .figures import nearby_values
from .questions import (
    BLANK,
    FALSE,
    KIND_LABELS,
    KINDS,
    KINDS_BY_DIFFICULTY,
    MAX_QUESTIONS,
    TRUE,
    Question,
    Quiz,
    QuizError,
)

# the 12 leagues and cities of the region, and its main land ports: swapped within their group
PLACE_GROUPS = (
    tuple("呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安盟 锡林郭勒 阿拉善".split()),
    tuple("满洲里 二连浩特 甘其毛都 策克 满都拉".split()),
)


def _excerpt(doc: Document, t: Target) -> tuple[str, int, frozenset]:
    """The clause of `t`, with the clause before it in the same sentence when the indicator alone is
    too short to say what is measured ("力争产值达到1200亿元" -> "发展林草产业，力争产值…"), and the
    offset of t.value in it, and the (ref, clause start) keys it covers."""
    text = doc.get(t.ref).text
    start, end = clause_span(text, t.offset)
    keys = {(t.ref, start)}
    if len(t.indicator) <= 3 and start > 1 and text[start - 1] == "，":
        start = clause_span(text, start - 2)[0]
        keys.add((t.ref, start))
    return text[start:end], t.offset - start, frozenset(keys)


def _target_questions(doc: Document, t: Target, rng: random.Random, by_unit: dict) -> list[tuple]:
    excerpt, off, source = _excerpt(doc, t)
    blanked = excerpt[:off] + BLANK + excerpt[off + len(t.amount) :]
    node, quote = doc.get(t.ref), f"{t.ref}原文：“{excerpt}”"
    label = node.ref if node.kind == "row" else node.title  # a row title alone may be vague
    others = [v for v in by_unit.get(t.unit, []) if v != t.value]
    near = nearby_values(t, rng, others)
    choices = [t.amount] + [v + t.unit for v in near]
    rng.shuffle(choices)
    altered = excerpt[:off] + near[0] + excerpt[off + len(t.value) :]
    tf = _truefalse(excerpt, excerpt, t.ref)
    if rng.random() >= 0.5:
        tf = _truefalse(altered, excerpt, t.ref, t.amount, near[0] + t.unit)
    fill = Question("", "fill", f"（{label}）{blanked}", [], t.amount, t.ref, quote)
    choice = Question("", "choice", f"（{label}）{blanked}", choices, t.amount, t.ref, quote)
    return [(source, fill), (source, choice), (source, tf)]


def _truefalse(statement: str, original: str, ref: str, was: str = "", now: str = "") -> Question:
    explanation = f"{ref}原文：“{original}”" + (
        f"；题中将“{was}”改为“{now}”，故错误。" if was else "，与题述一致。"
    )
    return Question(
        "", "truefalse", f"判断正误：{statement}", [TRUE, FALSE], FALSE if was else TRUE, ref, explanation
    )


def _clauses(doc: Document, kinds: tuple[str, ...]):
    """(node, source key, clause) for every clause of the nodes of these kinds."""
    for node in doc.walk():
        pos = 0
        while node.kind in kinds and pos < len(node.text):
            start, end = clause_span(node.text, pos)
            if end > start:
                yield node, frozenset({(node.ref, start)}), node.text[start:end]
            pos = end + 1


def _place_questions(doc: Document, rng: random.Random, corpus: str) -> list[tuple]:
    out = []
    for node, key, clause in _clauses(doc, ("opening", "part", "section", "row")):
        group = next((g for g in PLACE_GROUPS if any(p in clause for p in g)), None)
        if group is None:
            continue
        absent = [p for p in group if p not in clause]
        question = _truefalse(clause, clause, node.ref)
        if absent and rng.random() < 0.5:
            was, now = rng.choice([p for p in group if p in clause]), rng.choice(absent)
            if clause.replace(was, now, 1) not in corpus:  # the altered clause must be false
                question = _truefalse(clause.replace(was, now, 1), clause, node.ref, was, now)
        out.append((key, question))
    return out


def _where_questions(doc: Document, rng: random.Random, corpus: str) -> list[tuple]:
    parts = {p.ref: f"{p.ref}、{p.title}" for p in doc.parts}
    columns = {c.ref: f"{c.ref} {c.title}" for c in doc.columns}
    out = []
    for node, key, clause in _clauses(doc, ("part", "section", "row")):
        if not 8 <= len(clause) <= 40 or clause.startswith("（") or corpus.count(clause) != 1:
            continue  # too short to place, a heading number, or said in more than one place
        if node.kind == "row":
            titles, answer = columns, columns[node.ref.split("·", 1)[0]]
            prompt = f"“{clause}”是哪个专栏的重点任务目标？"
        else:
            titles, answer = parts, parts[node.part]
            prompt = f"“{clause}”出自计划的哪一部分？"
        choices = [answer] + rng.sample(sorted(set(titles.values()) - {answer}), min(3, len(titles) - 1))
        rng.shuffle(choices)
        explanation = f"{node.ref}原文：“{clause}”，属于{answer}。"
        out.append((key, Question("", "where", prompt, choices, answer, node.ref, explanation)))
    return out


def _wanted_kinds(kinds, difficulty: int | None) -> list[str]:
    wanted = [kinds] if isinstance(kinds, str) else list(kinds or KINDS)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise QuizError(f"未知题型：{'、'.join(unknown)}（可选：{'|'.join(KINDS)}）")
    if difficulty is not None:
        if difficulty not in KINDS_BY_DIFFICULTY:
            raise QuizError(f"难度须为 1、2 或 3，收到：{difficulty}")
        wanted = [k for k in wanted if k in KINDS_BY_DIFFICULTY[difficulty]]
    if not wanted:
        raise QuizError("所选题型与难度没有交集")
    return [k for k in KINDS if k in wanted]


def generate_quiz(
    doc: Document,
    n: int = 10,
    chapter: str | None = None,
    kinds=None,
    seed: int = 7,
    difficulty: int | None = None,
) -> Quiz:
    """Up to `n` questions (fewer when the chapter has fewer clauses to ask about), the kinds taken
    in turn so a mixed quiz stays balanced. `chapter` is any ref: a part (四) covers its sections
    and its 专栏. Raises QuizError for bad options, UnknownRef for an unknown chapter."""
    if not 1 <= n <= MAX_QUESTIONS:
        raise QuizError(f"题目数须在 1 到 {MAX_QUESTIONS} 之间，收到：{n}")
    wanted = _wanted_kinds(kinds, difficulty)
    scope = scope_refs(doc, chapter) if chapter else None
    rng = random.Random(seed)
    corpus = "\n".join(node.text for node in doc.walk())
    targets = extract_targets(doc)
    by_unit: dict[str, list[str]] = {}
    for t in targets:
        by_unit.setdefault(t.unit, []).append(t.value)
    # (source, question); source = the (ref, clause start)s it quotes: one question per clause
    candidates = [c for t in targets for c in _target_questions(doc, t, rng, by_unit)]
    candidates += _place_questions(doc, rng, corpus) + _where_questions(doc, rng, corpus)
    pools = {
        k: [c for c in candidates if c[1].kind == k and (scope is None or c[1].ref in scope)] for k in wanted
    }
    for pool in pools.values():
        rng.shuffle(pool)
    order, picked, used, prompts = rng.sample(wanted, len(wanted)), [], set(), set()
    while len(picked) < n and any(pools.values()):
        for kind in order:  # one of each kind in turn
            while pools[kind] and len(picked) < n:
                source, question = pools[kind].pop()
                if not source & used and question.prompt not in prompts:
                    used, picked = used | source, picked + [question]
                    prompts.add(question.prompt)
                    break
    if not picked:
        raise QuizError(f"“{chapter}”范围内没有可出的{'、'.join(KIND_LABELS[k] for k in wanted)}题")
    for i, q in enumerate(picked, 1):
        q.id = f"Q{i:02d}"
    return Quiz(picked, seed)
