"""Yes/no questions about what the plan says ("计划里有没有提到低空经济？", "提没提欠薪", "托育补贴提了吗",
"Does the plan mention hydrogen?"): "有" with every place the plan says it, or "计划没有提到X" with, at
most, the nearest text marked as related — never near paragraphs quoted as if they answered.

    有没有提到低空经济 -> present, places in 七(二) …
    有没有提到房地产税 -> absent (the plan speaks of 房地产 only); related: 七(三)
"""

from __future__ import annotations

from .evidence import Evidence, Group
from .places import Subject, core, places, subject_of
from .words import pattern

MAX_RELATED = 2


def english_subject(q, ctx) -> Subject:
    """The plan's terms for the English words (hydrogen -> 氢能, 绿氢 and their variants); a content word
    no table knows (bitcoin) is unknown, so the subject is not found."""
    from ..retrieval.lexical import english_spans

    asked = " ".join(pattern("english_frame").sub(" ", q.text.lower()).split()).strip(" ?.!")
    spans, rest = english_spans(asked)
    unknown = [w for w in rest.split() if len(w) >= 3 and w.isalpha()]
    alternatives = [list(dict.fromkeys(v for t in terms for v in ctx.vocabulary.variants(t) or [t]))
                    for terms in spans if terms]
    return Subject(asked, alternatives, unknown)


def related(q, ctx, subject: Subject) -> list[Group]:
    """The best retrieved sentences that share a word with the subject, marked as related only."""
    words = [w for w in ctx.retriever.tokenize(subject.asked) if len(w) >= 2] + subject.terms
    out: list[Group] = []
    for _, i in ctx.sentence_pool(q.scored, [h.ref for h in q.hits[:3]]):
        text = ctx.passages[i].text.strip()
        if any(w in text for w in words):
            out.append(Group(ctx.passages[i].ref, [text]))
        if len(out) == MAX_RELATED:
            break
    return out


def plan(q, ctx) -> Evidence | None:
    if not pattern("yesno").search(q.text) or ctx.vocabulary is None:
        return None
    subject = subject_of(core(q.text, "yesno_frame"), ctx) if q.chinese else english_subject(q, ctx)
    if not subject.asked:
        return None
    found = places(ctx, subject)
    facts = {"subject": subject.asked, "terms": subject.terms, "otherwise": subject.said_otherwise}
    if found and not subject.by_meaning:
        return Evidence("yesno", found, facts=dict(facts, present=True), hits=q.hits)
    # a word the plan never uses, reached only by meaning (婚假 ~ 休假): not "mentioned"; the nearest
    # places are shown as related, marked so
    near = found[:MAX_RELATED] if found else related(q, ctx, subject)
    return Evidence("yesno", near, facts=dict(facts, present=False), hits=q.hits)
