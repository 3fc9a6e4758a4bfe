"""Refusal gates: questions the plan cannot answer, whatever retrieval finds. The hard gates look
at the question alone (a poem, the weather, a phone number, advice, another province, a year the plan
does not cover); the scope gate asks whether the plan speaks of the question's subject at all."""

from __future__ import annotations

import re

from ..retrieval.lexical import english_terms, topic_tokens
from .evidence import Evidence, refusal
from .words import pattern, words

MIN_DENSE = 0.83  # below this, a question with little lexical support is out of scope (e5 sits in ≈0.75–0.92)
MIN_COVERAGE = 0.5  # share of a question's topic words found in the plan
MIN_DENSE_FOREIGN = 0.82  # a non-Chinese question with no glossary word must be this close


def mentions_other_region(question: str, doc_text: str) -> str | None:
    """A province named in the question as its subject: the plan is about one region. A province the
    plan itself names (库布其至河北输电通道) is the subject only when the question shares no word pair
    with the plan's clauses that name it."""
    for name in words("other_regions"):
        # the region is what the question is about: it leads the question or is named as a province
        # ("江苏省…", "Jiangsu province's…"), not merely mentioned ("还得跑上海看病吗")
        subject = rf"^{re.escape(name)}|{re.escape(name)}(?:省|市|自治区|\s*province|'s)"
        if not re.search(subject, question.strip(), re.I):
            continue
        clauses = re.findall(rf"[^，。；：\n]*{re.escape(name)}[^，。；：\n]*", doc_text)
        rest = question.replace(name, "，")
        pairs = {rest[i:i + 2] for i in range(len(rest) - 1) if re.fullmatch(r"[\u4e00-\u9fff]{2}", rest[i:i + 2])}
        if not any(p in c for c in clauses for p in pairs):
            return name
    return None


def years_not_in_plan(question: str, doc_text: str) -> list[str]:
    """Years the question asks about that the plan never names: "2030年" (a figure such as 2000万亩 is
    no year); in English any 20xx standing alone."""
    years = re.findall(r"(?<![\d.])(20\d\d)\s*年", question) + re.findall(r"(?<![\d.,])\b(20\d\d)\b(?![\d.,%])(?!\s*[万亿])", question
                                                                           if not re.search(r"[\u4e00-\u9fff]", question) else "")
    return [y for y in years if f"{y}年" not in doc_text]


def hard_reason(question: str, doc_text: str) -> tuple[str, dict] | None:
    """(reason code, its details) for the composer to word; None when no hard gate applies."""
    for code in ("task_request", "live_info", "contact", "advice"):
        if pattern(code).search(question):
            return code, {}
    region = mentions_other_region(question, doc_text)
    if region:
        return "other_region", {"region": region}
    years = years_not_in_plan(question, doc_text)
    return ("other_year", {"year": years[0]}) if years else None


def scope_reason(q, ctx) -> str | None:
    """The plan does not speak of the question's subject: few of its words are plan words and no
    passage is close in meaning. English must name a subject the glossary knows or be close."""
    scored = q.scored
    best = float(scored.dense.max()) if len(scored.dense) else 0.0
    if not q.chinese:
        return None if english_terms(q.standalone) or best >= MIN_DENSE_FOREIGN else "not_found"
    in_plan = ctx.coverage(topic_tokens(scored.tokens), ctx.doc_text)
    return "not_found" if in_plan < MIN_COVERAGE and best < MIN_DENSE else None


MAX_SUBJECT_CHARS = 8  # a compact subject ("托育补贴", "5G基站"); a longer head is a sentence, not a name


def absent_subject(q, ctx) -> str | None:
    """The subject of a question when the plan never speaks of it, though it may speak of its parts:
    托育补贴 (托育 and 补贴 never in one sentence), 房地产税, 5G基站. Only what can be known: a word
    of the subject the plan reaches by meaning alone (孩子) leaves the question to the others."""
    from .multi import subject_phrase
    from .places import places, subject_of

    if ctx.vocabulary is None or not q.chinese or pattern("cross").search(q.text) or pattern("yesno").search(q.text):
        return None
    phrase = subject_phrase(q.standalone)
    if not (2 <= len(phrase) <= MAX_SUBJECT_CHARS) or ctx.vocabulary.uses(phrase):
        return None
    if "，" in phrase or "," in phrase:
        return None  # not a compact subject: a clause, left to the other handlers
    subject = subject_of(phrase, ctx)
    if not subject.alternatives and not subject.unknown:
        return None  # frame words only (要推动): nothing to find absent
    fuzzy = any(not ctx.vocabulary.uses(t) for alts in subject.alternatives for t in alts[:1]) or any(
        alts and alts[0] not in phrase for alts in subject.alternatives)
    if fuzzy or any(_CHINESE_ONLY.fullmatch(w) for w in subject.unknown):
        return None
    return phrase if subject.unknown or not places(ctx, subject) else None


_CHINESE_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def subject_gate(q, ctx) -> Evidence | None:
    phrase = absent_subject(q, ctx)
    return refusal("absent_subject", q.hits, subject=phrase) if phrase else None


def hard_gate(q, ctx) -> Evidence | None:
    # "去年" asks for another year: refused as live information unless a document of another year is in scope
    if pattern("live_years").search(q.standalone) and not ctx.extras.get("entries"):
        return refusal("live_info", q.hits)
    found = hard_reason(q.standalone, ctx.doc_text)
    return refusal(found[0], q.hits, **found[1]) if found else None


def scope_gate(q, ctx) -> Evidence | None:
    if not q.hits:
        return refusal("empty")
    reason = scope_reason(q, ctx)
    return refusal(reason, q.hits) if reason else None
