"""Quiz mode for trainers: questions generated from the plan itself, each with its ref and an
explanation quoting the source.

Kinds, and the difficulty level each belongs to (`difficulty=` picks the kinds of that level):

    truefalse  1  a clause quoted verbatim, or with one figure or one place altered ("判断正误：…")
    where      1  "which part / 专栏 does this phrase come from"; choices are part or column titles
    choice     2  a target's figure blanked, four options of the same unit: other values the plan
                  states in that unit and nearby values (×0.5, ×2, ±10–25%…) rounded like the original
    fill       3  a target's figure blanked; the answer is value and unit ("1500万亩")

Everything random goes through one `random.Random(seed)`: the same seed and options give the same
quiz. A clause of the plan is used by at most one question of a quiz, so a choice question never
gives away the answer to a fill-in next to it.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from .documents.parse import Document
from .documents.targets import Target, clause_span, extract_targets, scope_refs

KINDS = ("fill", "choice", "truefalse", "where")
KINDS_BY_DIFFICULTY = {1: ("truefalse", "where"), 2: ("choice",), 3: ("fill",)}
KIND_LABELS = {"fill": "填空", "choice": "单选", "truefalse": "判断", "where": "出处"}
MAX_QUESTIONS = 200
MAX_PAPER = 999_999  # the largest 试卷编号 (a paper's number is its seed)
BLANK = "____"
TRUE, FALSE = "对", "错"
LETTERS = "ABCDEFGH"
# the 12 leagues and cities of the region, and its main land ports: swapped within their group
PLACE_GROUPS = (
    tuple("呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安盟 锡林郭勒 阿拉善".split()),
    tuple("满洲里 二连浩特 甘其毛都 策克 满都拉".split()),
)
_FACTORS = (0.5, 2, 0.8, 1.2, 1.5, 0.9, 1.1, 0.75, 1.25, 3, 4, 0.25, 10)


class QuizError(ValueError):
    """Options that cannot make a quiz (n out of range, unknown kind, nothing left to ask)."""


@dataclass
class Question:
    id: str
    kind: str
    prompt: str
    choices: list[str]
    answer: str
    ref: str
    explanation: str

    @property
    def difficulty(self) -> int:
        return next(d for d, kinds in KINDS_BY_DIFFICULTY.items() if self.kind in kinds)

    @property
    def keyed_answer(self) -> str:
        """The answer as an answer key prints it: "B. 1500万亩" for a choice, "1500万亩" for a fill-in."""
        lettered = self.kind in ("choice", "where")
        return f"{LETTERS[self.choices.index(self.answer)]}. {self.answer}" if lettered else self.answer


@dataclass
class Quiz:
    questions: list[Question]
    seed: int

    def to_json(self) -> dict:
        """A JSON-ready dict: {"questions": [{id, kind, prompt, choices, answer, ref, explanation}]}."""
        return {"questions": [asdict(q) for q in self.questions]}

    def to_markdown(self, with_answers: bool = False) -> str:
        lines = [f"# 计划知识测验（{len(self.questions)}题）", ""]
        for i, q in enumerate(self.questions, 1):
            lines.append(f"{i}. 【{KIND_LABELS[q.kind]}】{q.prompt}")
            lines += [f"   - {LETTERS[j]}. {c}" for j, c in enumerate(q.choices) if q.kind != "truefalse"]
        if with_answers:
            lines += ["", "## 答案", ""]
            lines += [
                f"{i}. {q.keyed_answer}（{q.ref}）  {q.explanation}" for i, q in enumerate(self.questions, 1)
            ]
        return "\n".join(lines) + "\n"

    def to_csv(self, with_answers: bool = True) -> str:
        fields = ["id", "kind", "prompt", "choices", "answer", "ref", "explanation"][
            : 7 if with_answers else 4
        ]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(fields)
        for q in self.questions:
            row = asdict(q) | {
                "choices": " | ".join(f"{LETTERS[j]}. {c}" for j, c in enumerate(q.choices)),
                "answer": q.keyed_answer,
            }
            writer.writerow([row[f] for f in fields])
        return buf.getvalue()


# --- figures -------------------------------------------------------------------------------------


def round_like(original: str, x: float) -> str:
    """`x` rounded the way `original` is written: round_like("1500", 1350) -> "1400",
    round_like("0.593", 0.6523) -> "0.652", round_like("12.5", 25) -> "25.0"."""
    d = Decimal(original.replace(",", ""))
    exp = d.as_tuple().exponent
    if exp < 0:
        return str(Decimal(str(x)).quantize(Decimal(1).scaleb(exp), ROUND_HALF_UP))
    digits = str(int(d))
    step = Decimal(10) ** min(len(digits) - len(digits.rstrip("0")), len(digits) - 1)
    return str(int((Decimal(str(x)) / step).quantize(Decimal(1), ROUND_HALF_UP) * step))


def nearby_values(t: Target, rng: random.Random, plan_values: list[str], k: int = 3) -> list[str]:
    """`k` values for distractors or alterations, never equal to t.value: at most one value the plan
    states in the same unit, the rest t.value scaled and rounded like it; percentages stay ≤ 100."""
    answer = Decimal(t.value.replace(",", ""))
    factors = list(_FACTORS[:8])
    rng.shuffle(factors)
    plan = sorted(set(plan_values))
    rng.shuffle(plan)
    out: list[str] = []
    for v in plan[:1] + [round_like(t.value, float(answer) * f) for f in factors + list(_FACTORS[8:])]:
        num = Decimal(v.replace(",", ""))
        if num <= 0 or num == answer or (t.unit in ("%", "％") and num > 100):
            continue
        if all(Decimal(o) != num for o in out):
            out.append(v)
        if len(out) == k:
            break
    return out


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


# --- question builders ---------------------------------------------------------------------------


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


# --- grading -------------------------------------------------------------------------------------

_TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "true", "t", "yes", "y", "是", "right"}
_FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "x", "false", "f", "no", "n", "否", "wrong", "不对"}
_LETTER = re.compile(r"^([a-h])[.、)）:：]?$")
_AMOUNT = re.compile(r"^(?:约|超过|达到)?(\d+(?:\.\d+)?)(.*?)(?:以上|左右|以下|以内)?$")


def _normalize(s: str) -> str:
    """Full-width to half-width, no spaces, no thousands commas, no end punctuation."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).lower()
    return re.sub(r"(?<=\d),(?=\d{3})", "", s).rstrip("。!！")


_MAGNITUDES = ("万亿", "亿", "万")


def _same_amount(response: str, answer: str) -> bool:
    """ "4,000 万亩", "4000万" and "4000" match "4000万亩"; "400万亩", "40000万亩", "4000亩" and "4000亿"
    do not. The unit may be left out, or given as its magnitude alone (100亿 for 100亿元): every figure
    question asks for one figure with one unit, so the number and its 万/亿 say it all."""
    got, want = _AMOUNT.match(_normalize(response)), _AMOUNT.match(_normalize(answer))
    if not (got and want and Decimal(got[1]) == Decimal(want[1])):
        return False
    unit, wanted = got[2], want[2]
    return unit in ("", wanted) or (unit in _MAGNITUDES and wanted.startswith(unit)
                                    and not wanted.startswith(tuple(m for m in _MAGNITUDES if len(m) > len(unit))))


def grade(question: Question, response: str) -> bool:
    """Whether `response` is a right answer to `question`. Accepted, for an answer "4000万亩":
    "4000万亩", "4,000万亩", "4000 万亩", "４０００万亩", "4000" (and "B", "b", "B." or the choice text
    when it is choice B); rejected: "400万亩", "40000万亩", "4000亩". True/false takes 对/错,
    正确/错误, √/×, true/false. A "where" question also takes the part or column ref ("四", "专栏2")."""
    r = _normalize(response or "")
    if question.kind == "truefalse":
        said = TRUE if r in _TRUE_WORDS else FALSE if r in _FALSE_WORDS else None
        return said == question.answer
    if question.kind == "fill":
        return _same_amount(response, question.answer)
    m = _LETTER.match(r)
    if m and "abcdefgh".index(m.group(1)) < len(question.choices):
        return question.choices["abcdefgh".index(m.group(1))] == question.answer
    for choice in question.choices:
        if r in (_normalize(choice), _normalize(re.split(r"[、 ]", choice, maxsplit=1)[0])):
            return choice == question.answer
    return question.kind == "choice" and _same_amount(response, question.answer)
