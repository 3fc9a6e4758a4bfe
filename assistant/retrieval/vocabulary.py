"""The plan's own words, and a bridge to them from the words people use instead.

A question says 孩子, 欠钱, 氢能, hydrogen; the plan says 幼儿园/托育, 欠薪, 绿氢/氢氨醇, 氢能. The bridge
reads, in this order: the plan's text itself (a word it uses is its own term), the bundled tables of
everyday and English phrases (`colloquial.tsv`, `glossary.tsv`), then the plan words nearest in meaning
by the embedder (the words of the plan embedded once, with the index). Variants widen a term the plan
uses to the plan words that share its rare character (氢能 -> 绿氢, 氢氨醇, 风光氢储).

    vocab.bridge("找工作")  -> ('就业',)              the table knows it
    vocab.bridge("孩子")    -> ('新生儿', '幼儿园', …) nearest plan words by meaning
    vocab.bridge("黄河")    -> ('黄河',)              the plan's own word
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .lexical import EVERYDAY, GENERIC, STOPWORDS, SYNONYMS, english_terms

NEAREST_MIN = 0.92  # e5 puts unrelated words at 0.85–0.91 (彩票 ~ 农村 0.907); related ones above 0.92 (孩子 ~ 新生儿 0.936)
NEAREST_MARGIN = 0.015  # and within this of the best match
NEAREST_K = 4
NEAREST_MAX_CHARS = 2
RARE_CHAR_SENTENCES = 12  # a character in at most this many of the plan's sentences marks a subject (氢, 黄)
VARIANT_MIN = 0.90  # a variant must stay near the term in meaning (氢能 ~ 绿氢 0.92; 托育 ~ 依托 0.87 is not)
_KEEP_FLAGS = ("n", "v", "j", "l", "s", "b")  # content words; numerals, particles and adverbs are no subject
_CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def plan_words(text: str) -> list[str]:
    """The plan's content words (jieba with parts of speech): 2+ Chinese characters, no stopword, no
    generic word (全区, 推进), no unit (万吨). Built once per plan, in plan order of first use."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    seen: dict[str, None] = {}
    for word, flag in pseg.cut(text):
        if (len(word) >= 2 and _CHINESE.fullmatch(word) and flag.startswith(_KEEP_FLAGS)
                and word not in STOPWORDS and word not in GENERIC and not word.endswith("等")):
            seen.setdefault(word, None)
    return list(seen)


@dataclass
class Vocabulary:
    text: str  # the plan's text, to say whether it uses a term at all
    words: list[str]
    vectors: np.ndarray  # (len(words), dim), L2-normalised, the embedder's "query" side
    embedder: object
    sentences: list[str] = field(default_factory=list)

    @cached_property
    def _lowered(self) -> str:
        return self.text.lower()

    def uses(self, term: str) -> bool:
        return bool(term) and term.lower() in self._lowered

    def nearest(self, word: str, k: int = NEAREST_K) -> list[str]:
        """Plan words closest in meaning to a word the plan does not use (孩子 -> 新生儿, 幼儿园 …)."""
        if not len(self.words):
            return []
        vec = self.embedder.encode([word], "query")[0]
        sims = self.vectors @ vec
        order = np.argsort(-sims)[:k]
        best = float(sims[order[0]])
        return [self.words[i] for i in order if sims[i] >= max(NEAREST_MIN, best - NEAREST_MARGIN)]

    def bridge(self, word: str) -> tuple[str, ...]:
        """The plan's terms for one word of a question: itself when the plan uses it, else the
        tables' terms, else the nearest plan words. A word that only adds to a plan word
        (房地产税 = 房地产 + 税) has no bridge: the plan speaks of less than was asked."""
        if self.uses(word):
            return (word,)
        table = SYNONYMS.get(word) or EVERYDAY.get(word) or tuple(english_terms(word))
        if table:
            return tuple(t for t in table if self.uses(t))
        # by meaning only an everyday word of two characters (孩子, 欠钱): a longer word the tables do not
        # know names a thing of its own (个人所得税, 遗产税) that nearby words would only pretend to answer
        if len(word) > NEAREST_MAX_CHARS or not _CHINESE.fullmatch(word) or any(w in word for w in self.words if len(w) >= 2):
            return ()
        return tuple(self.nearest(word))

    def sentence_counts(self, term: str) -> int:
        """In how many of the plan's sentences a term stands (发展: many; 托育: two)."""
        if term not in self._term_counts:
            self._term_counts[term] = sum(term in s for s in self.sentences)
        return self._term_counts[term]

    @cached_property
    def _term_counts(self) -> dict[str, int]:
        return {}

    def by_meaning(self, word: str) -> bool:
        """Reached only by the embedder: neither the plan's word nor in a table (孩子 is in the tables;
        婚假 would be reached through 休假)."""
        return not self.uses(word) and not (SYNONYMS.get(word) or EVERYDAY.get(word) or english_terms(word))

    @cached_property
    def _char_sentences(self) -> Counter:
        return Counter(ch for s in self.sentences for ch in set(s) if "\u4e00" <= ch <= "\u9fff")

    def variants(self, term: str) -> list[str]:
        """The term, its synonyms in the plan (`synonyms.tsv`) and the plan words that share its rarest
        character and stay near it in meaning: 氢能 -> 氢能, 绿氢, 氢氨醇, 氢储; 发展 (no rare
        character) -> 发展 alone."""
        found = [term] if self.uses(term) else []
        if term in SYNONYMS:  # the table is the word of a person who read the plan: it decides alone
            return found + [s for s in SYNONYMS[term] if self.uses(s) and s not in found]
        counts = {ch: self._char_sentences.get(ch, 0) for ch in term if "\u4e00" <= ch <= "\u9fff"}
        counts = {ch: n for ch, n in counts.items() if 0 < n <= RARE_CHAR_SENTENCES}
        if not counts or not len(self.words):
            return found
        rarest = min(counts, key=counts.get)
        shared = min(2, len(term) - 1)  # 低空经济 ~ 低空飞行 share 低空; 最低工资 shares only 低
        candidates = [i for i, w in enumerate(self.words)
                      if rarest in w and term not in w and sum(ch in w for ch in set(term)) >= shared]
        if not candidates:
            return found
        vec = self.embedder.encode([term], "query")[0]
        sims = self.vectors[candidates] @ vec
        close = [self.words[i] for i, s in zip(candidates, sims, strict=True) if s >= VARIANT_MIN]
        return found + [w for w in close if w not in found]


def empty_vocabulary(text: str = "") -> Vocabulary:
    return Vocabulary(text, [], np.zeros((0, 1), dtype=np.float32), None)
