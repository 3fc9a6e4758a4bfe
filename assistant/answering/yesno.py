"""Yes/no questions about what the plan says ("计划里有没有提到低空经济？", "提没提欠薪", "托育补贴提了吗",
"Does the plan mention hydrogen?"): "有" with every place the plan says it, or "计划没有提到X" with, at
most, the nearest text marked as related — never near paragraphs quoted as if they answered.

    有没有提到低空经济 -> present, places in 七(二) …
    有没有提到房地产税 -> absent (the plan speaks of 房地产 only); related: 七(三)
"""

from __future__ import annotations

from .evidence import Evidence, Group
from .places import Subject, core, described, places, subject_of
from .words import pattern

MAX_RELATED = 2
MAX_NAME_CHARS = 12  # a subject told in more characters than this, in one clause, is a story


def asked_subject(text: str, ctx) -> Subject:
    """The subject of a Chinese yes/no question written in several clauses: the clause with the yes/no
    words when it names something ("过敏性鼻炎的防治计划里说了吗？我们这边…犯的人特别多", "计划里说了预制菜
    吗？我们这边很多人关心。"), else the clause that names the most the plan knows ("学校给学生喝奶的那个
    计划，今年还搞不搞，文件里有没有写")."""
    # "火箭卫星这类航天产业": the kind named after 这类 is the subject, the things before it examples
    text = "".join(pattern("kind_of").split(text, maxsplit=1)[-1:]) if pattern("kind_of").search(text) else text
    clauses = [c for c in pattern("clause_split").split(text) if c.strip()]
    if len(clauses) < 2:
        return subject_of(core(text, "yesno_frame"), ctx)
    subjects = [(bool(pattern("yesno").search(c)), subject_of(core(c, "yesno_frame"), ctx)) for c in clauses]
    subjects = [(asks, s) for asks, s in subjects if len(s.asked) >= 2]  # 写 of "文件里有没有写" names nothing
    if not subjects:
        return subject_of(core(text, "yesno_frame"), ctx)
    framed = [s for asks, s in subjects if asks and (s.alternatives or s.unknown)]
    if framed:
        return framed[0]
    told = max((s for _, s in subjects), key=lambda s: len(s.alternatives))
    # a story in everyday words with "有说法没" apart ("每天早晚开车上班都挪不动，…，今年有说法没？") names no
    # subject the plan could be said to lack: it is left to the handlers that read by meaning (a name
    # before "，计划里提了吗" is a subject, known to the plan or not)
    story = len(subjects) >= 2 or len(told.asked) > MAX_NAME_CHARS
    return Subject("") if story and not any(ctx.vocabulary.uses(w) for w in told.named) else told


def english_subject(q, ctx) -> Subject:
    """The plan's terms for the English words (hydrogen -> 氢能, 绿氢 and their variants; fund -> 基金,
    the plan word nearest in meaning); a content word with neither (bitcoin) is unknown, so the subject
    is not found."""
    from ..retrieval.lexical import english_spans

    asked = " ".join(pattern("english_frame").sub(" ", q.text.lower()).split()).strip(" ?.!")
    spans, rest = english_spans(asked)
    alternatives = [list(dict.fromkeys(v for t in terms for v in ctx.vocabulary.variants(t) or [t]))
                    for terms in spans if terms]
    unknown = []
    for word in (w for w in rest.split() if len(w) >= 3 and w.isalpha()):
        # a word the tables lack, translated by the embedder when one plan word is that close (fund -> 基金)
        near = ctx.vocabulary.nearest(word)
        if near:
            alternatives.append(near)
        else:
            unknown.append(word)
    return Subject(asked, alternatives, unknown)


def related(q, ctx, subject: Subject) -> list[Group]:
    """The best retrieved sentences that share a word with the question (the subject's clause or the
    story around it: 包头 of "我是包头的退休老师…"), marked as related only."""
    words = [w for w in ctx.retriever.tokenize(q.text) if len(w) >= 2] + subject.terms
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
    subject = asked_subject(q.text, ctx) if q.chinese else english_subject(q, ctx)
    if not subject.asked:
        return None
    found = places(ctx, subject)
    facts = {"subject": subject.asked, "terms": subject.terms, "otherwise": subject.said_otherwise}
    if found and not subject.by_meaning:
        return Evidence("yesno", found, facts=dict(facts, present=True), hits=q.hits)
    said, terms = described(ctx, subject)
    if said:  # a long description the plan says in one sentence, in its own words
        return Evidence("yesno", said, facts=dict(facts, present=True, described=True, terms=terms), hits=q.hits)
    # a word the plan never uses, reached only by meaning (婚假 ~ 休假): not "mentioned"; the nearest
    # places are shown as related, marked so
    near = found[:MAX_RELATED] if found else related(q, ctx, subject)
    return Evidence("yesno", near, facts=dict(facts, present=False), hits=q.hits)
