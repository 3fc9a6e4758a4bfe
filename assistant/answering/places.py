"""Where the plan speaks of a subject: the plan's words for it, then every sentence that uses one of
them, grouped by ref in plan order. Shared by place lists ("哪些地方提到了氢能") and yes/no questions
("计划里有没有提到低空经济").

The subject's words reach the plan through the vocabulary bridge: the plan's own word and its variants
(氢能 -> 绿氢, 氢氨醇), the tables, then the nearest plan words by meaning (孩子 -> 幼儿园, 新生儿).
A subject of several words is found where one sentence has a word for each of them (托育补贴: 托育
and 补贴 in one sentence), so a subject more specific than anything the plan says is not "found".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..retrieval.lexical import GENERIC, STOPWORDS
from .evidence import Group
from .words import pattern, words

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

MAX_PER_REF = 3


@dataclass
class Subject:
    asked: str  # as the question says it: 氢能, 孩子上学
    alternatives: list[list[str]] = field(default_factory=list)  # per word of it: the plan's words for it
    unknown: list[str] = field(default_factory=list)  # words with no plan word at all
    by_meaning: list[str] = field(default_factory=list)  # words reached only by the embedder (婚假 -> 休假)
    named: list[str] = field(default_factory=list)  # the question's word for each entry of alternatives

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys(t for alts in self.alternatives for t in alts))

    @property
    def said_otherwise(self) -> bool:
        """The plan says it in other words (孩子 -> 幼儿园): the answer names the plan's words. A subject
        of several words is said as asked when the plan uses each of them (红山文化申遗)."""
        if self.named and len(self.named) == len(self.alternatives) and len(self.named) > 1:
            return any(w not in alts for w, alts in zip(self.named, self.alternatives, strict=True))
        return bool(self.terms) and not any(self.asked in t or t == self.asked for t in self.terms)


def core(text: str, frame: str) -> str:
    """The question without its frame words ("计划里有没有提到低空经济？" -> 低空经济)."""
    return pattern(frame).sub("", text).strip()


def subject_of(phrase: str, ctx) -> Subject:
    """The plan's words for a phrase: the whole phrase when the plan uses it, else word by word."""
    vocab = ctx.vocabulary
    phrase = phrase.strip()
    if not phrase:
        return Subject(phrase)
    if vocab.uses(phrase):
        return Subject(phrase, [vocab.variants(phrase) or [phrase]], named=[phrase])
    whole = vocab.bridge(phrase)
    if whole:
        return Subject(phrase, [list(whole)], by_meaning=[phrase] if vocab.by_meaning(phrase) else [], named=[phrase])
    subject = Subject(phrase)
    for word in ctx.retriever.tokenize.words(phrase):
        if (word.lower() in STOPWORDS or word in GENERIC or not _CONTENT.search(word) or word in words("subject_fillers")
                or word in words("claim_pointers")):
            continue  # 的, 事, 今年, 列, 那边: no part of the subject
        if len(word) == 1:  # 税 of 房地产税, 核 of 核污水: a thing of its own, never found as a substring
            subject.unknown.append(word)
            continue
        alts = (vocab.variants(word) if vocab.uses(word) else []) or list(vocab.bridge(word))
        if alts:
            subject.alternatives.append(alts)
            subject.named.append(word)
            if vocab.by_meaning(word):
                subject.by_meaning.append(word)
        else:
            subject.unknown.append(word)
    return subject


COMMON_SHARE = 0.04  # a word in more of the plan's sentences than this (发展, 建设) names no subject


def _naming(ctx, subject: Subject) -> list[list[str]]:
    """The parts of the subject that name it: 发展低空经济 is found where 低空经济 is."""
    n = max(1, len(ctx.vocabulary.sentences))
    counts = ctx.vocabulary.sentence_counts
    rare = [alts for alts in subject.alternatives if any(counts(t) <= COMMON_SHARE * n for t in alts)]
    return rare or subject.alternatives


def grouped(ctx, indices) -> list[Group]:
    """Sentences (passage indices) grouped by ref in plan order, at most MAX_PER_REF lines a ref."""
    groups: dict[str, Group] = {}
    for i in indices:
        p = ctx.passages[i]
        g = groups.setdefault(p.ref, Group(p.ref))
        if len(g.lines) < MAX_PER_REF and p.text.strip() not in g.lines:
            g.lines.append(p.text.strip())
    order = {n.ref: k for k, n in enumerate(ctx.doc.walk())}
    return sorted(groups.values(), key=lambda g: order.get(g.ref, 0))


def _sentences(ctx) -> list[int]:
    return [i for i in range(len(ctx.passages)) if ctx.sentence_idx[i]]


def places(ctx, subject: Subject) -> list[Group]:
    """Every sentence with a word for each part of the subject, grouped by ref in plan order."""
    if not subject.alternatives or subject.unknown:
        return []
    naming = [[t.lower() for t in alts] for alts in _naming(ctx, subject)]
    lowered = ctx.lowered_texts
    return grouped(ctx, (i for i in _sentences(ctx) if all(any(t in lowered[i] for t in alts) for alts in naming)))


COVER_MIN = 0.65  # share of the subject's weight one sentence must say; chosen on the yes/no questions of
# eval/ and the generated absent subjects: long descriptions the plan answers score 0.70–1.0 (高铁站、机场打
# 网约车老没地方停 -> 网约车专用停车区), absent subjects at most 0.63 (乡村振兴债券)
COVER_MIN_WORDS = 3  # a name of one or two words (房地产税, 跨境电商) is found whole or not at all


def described(ctx, subject: Subject) -> tuple[list[Group], list[str]]:
    """Where one sentence says most of a subject described in many words ("高铁站、机场打网约车老没地方停"):
    each word weighs by its rarity in the plan (网约车 much, 地方 little); a word the plan lacks, or
    says only in other words, is unsaid. The sentences that say at least COVER_MIN of the weight, and the
    plan words they say."""
    if len(subject.named) != len(subject.alternatives) or len(subject.named) + len(subject.unknown) < COVER_MIN_WORDS:
        return [], []
    vocab = ctx.vocabulary
    n = max(1, len(vocab.sentences))

    def weight(terms: list[str]) -> float:
        return math.log((n + 1) / (max(vocab.sentence_counts(t) for t in terms) + 0.5))

    # said = the question's own word or a plan word inside it (高铁 of 高铁站); a broader or nearby word
    # (马拉松 -> 赛事) does not say it. A word weighs as rare as the plan writes it, or as its plan words
    # when the plan does not (老楼 as 老旧小区).
    entries = []  # (the words that say it, its weight, the question's word)
    for alts, word in zip(subject.alternatives, subject.named, strict=True):
        said = [word, *(t for t in alts if t in word and t != word)]
        entries.append((said, weight(said if vocab.uses(word) else [*said, *alts]), word))
    entries += [([w], weight([w]), w) for w in subject.unknown]
    # a character alone (叫, 难, 停 of "叫网约车停车难") is mostly a verb or an adjective: it weighs half
    # the lightest word of two characters or more
    lightest = min((wt for _, wt, w in entries if len(w) >= 2), default=0.0)
    weighed = [(said, min(wt, lightest / 2) if len(w) == 1 and lightest else wt) for said, wt, w in entries]
    total = sum(wt for _, wt in weighed)
    hits, terms = [], {}
    for i in _sentences(ctx):
        text = ctx.passages[i].text
        found = [next((t for t in said if t in text), None) for said, _ in weighed]
        if sum(wt for (_, wt), t in zip(weighed, found, strict=True) if t) / total >= COVER_MIN:
            hits.append(i)
            terms.update(dict.fromkeys(t for t in found if t and len(t) >= 2))
    return grouped(ctx, hits), list(terms)


def part_of(doc, ref: str) -> str | None:
    """The part a ref belongs to (四(三) -> 四, 专栏2·… -> 四); None for the opening paragraphs."""
    node = doc.by_ref.get(ref)
    if node is None:
        return None
    return node.ref if node.kind == "part" else node.part
