"""Hybrid retrieval: four rankings of the plan's refs fused by reciprocal rank.

Every passage (a whole chunk, and each sentence of it) gets a dense score (FAISS, cosine) and a
BM25 score (jieba tokens). Each of the four lists (dense·chunk, dense·sentence, bm25·chunk,
bm25·sentence) ranks refs by their best passage; a ref's score is the sum of weight/(RRF_K + rank).
The BM25 lists weigh as much as the question's words are the plan's words: a question in the plan's
terms is ranked by both, a colloquial one mostly by meaning; with no matching word at all BM25
does not vote. BM25 also reads the plan's terms for a question's English and everyday words
(lexical.plan_words: "high school" -> 高中, 找工作 -> 就业). A question asking for a figure adds a
fifth list: refs by their best passage that states one; a question that quotes a section's or
专栏 row's title puts that ref ahead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..documents.chunk import Chunk, Passage
from ..intent import has_figure, is_chinese, question_kind, without_how_much
from .embedders import Embedder
from .lexical import BM25, GENERIC, coverage, plan_words, topic_tokens
from .store import DenseIndex

MAX_EMBED_CHARS = 512  # e5's window is 512 tokens; a real question is far shorter
RRF_K = 2  # small: the first places of each list decide; tuned on the eval set, see eval/README.md
BM25_WEIGHT = 1.5  # per BM25 list, times the question's lexical support; dense lists weigh 1
TITLE_WEIGHT = 2.0  # a question naming a section or 专栏 row by its title ("总体要求里…") gets that ref
MIN_TITLE = 4  # shorter titles are words, not names
LISTS = (("dense", "chunk"), ("dense", "sentence"), ("bm25", "chunk"), ("bm25", "sentence"))


@dataclass(frozen=True)
class Hit:
    ref: str
    title: str
    text: str  # the best-matching chunk of that ref
    score: float
    chunk: Chunk

    def to_json(self) -> dict:
        return {"ref": self.ref, "title": self.title, "text": self.text, "score": round(self.score, 4)}


@dataclass
class Scored:
    """One question's scores for every passage, kept so the answerer can pick sentences."""

    question: str
    tokens: list[str]
    dense: np.ndarray
    bm25: np.ndarray
    added: list[str] = field(default_factory=list)  # the plan's terms for its English or everyday words

    @property
    def bm25_scaled(self) -> np.ndarray:
        """BM25 over its best score (0..1), to add to cosine similarities; all zeros stay zeros."""
        return self.bm25 / self.bm25.max() if self.bm25.max() > 0 else self.bm25


def normalize_query(question: str) -> str:
    """NFKC (full-width digits and letters -> ASCII), drop control characters, collapse whitespace.

    >>> normalize_query("  粮食产量\\u0000目标是多少？２０２６ ")
    '粮食产量目标是多少?2026'
    """
    q = unicodedata.normalize("NFKC", question)
    q = re.sub(r"<[^>]{0,200}>", " ", q)  # markup pasted into the box is not part of the question
    q = "".join(ch for ch in q if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return re.sub(r"\s+", " ", q).strip()


_LAST_PART = re.compile(r"最后一部分|最后部分|最后一章")
_PART_NUMBER = re.compile(r"第([一二三四五六七八九十]{1,3})部分")
_SECTION_REF = re.compile(r"([一二三四五六七八九十]{1,3})[(（]([一二三四五六七八九十]{1,2})[)）]")


def _plain(text: str) -> str:
    """Without quotes and spaces: “三北”工程攻坚战 and 三北工程攻坚战 name the same row."""
    return re.sub(r"[“”\"‘’'《》「」\s]", "", text)


class HybridRetriever:
    def __init__(
        self,
        chunks: list[Chunk],
        passages: list[Passage],
        dense: DenseIndex,
        embedder: Embedder,
        bm25: BM25,
        tokenize: Callable[[str], list[str]],
        weights: dict[tuple[str, str], float] | None = None,
    ):
        self.chunks = chunks
        self.passages = passages
        self.dense = dense
        self.embedder = embedder
        self.bm25 = bm25
        self.tokenize = tokenize
        self.weights = weights or {name: 1.0 for name in LISTS}
        self.corpus_text = "\n".join(c.embed_text for c in chunks)
        self._level = np.array([p.level for p in passages])
        self._figure = np.array([has_figure(p.text) for p in passages])
        self._refs = [p.ref for p in passages]
        names = list(dict.fromkeys(self._refs))
        self._ref_names = np.array(names, dtype=object)
        code = {r: i for i, r in enumerate(names)}
        self._ref_codes = np.array([code[r] for r in self._refs], dtype=np.int64)
        self._ref_rows: dict[str, list[int]] = {}
        for i, r in enumerate(self._refs):
            self._ref_rows.setdefault(r, []).append(i)
        self._titles: dict[str, str] = {}
        for c in chunks:
            self._titles.setdefault(c.ref, _plain(c.title))
        self._last_part = next((c.part for c in reversed(chunks) if c.part), "")

    def score(self, question: str) -> Scored:
        tokens = self.tokenize(without_how_much(question))
        added = [t for term in plan_words(question) for t in self.tokenize(term) if t not in tokens]
        # the embedder reads at most MAX_EMBED_CHARS: its cost grows with length and it is shared by all users
        dense = self.dense.similarities(self.embedder.encode([question[:MAX_EMBED_CHARS]], "query")[0])
        # words every target sentence shares (全区, 2026, 目标…) say nothing about *which* passage is
        # meant; dropped from BM25 when the question typed them, kept when the glossary added them
        typed = question.lower()
        topical = [t for t in tokens if not ((t in GENERIC or t.isdigit()) and t in typed)] or tokens
        return Scored(question, tokens, dense, self.bm25.scores(topical + added), added)

    def _ref_ranks(self, scores: np.ndarray, level: str) -> dict[str, int]:
        """ref -> rank (0 best) by the best passage of that level."""
        idx = np.flatnonzero((self._level == level) | (self._level == "both"))
        return self._first_ranks(idx[np.argsort(-scores[idx], kind="stable")])

    def _first_ranks(self, order: np.ndarray) -> dict[str, int]:
        """ref -> rank of its first passage in `order` (0 best), in numpy: a scope of 50 documents has
        25,000 passages."""
        codes = self._ref_codes[order]
        unique, first = np.unique(codes, return_index=True)
        ranked = unique[np.argsort(first, kind="stable")]
        return {str(r): k for k, r in enumerate(self._ref_names[ranked])}

    def lexical_support(self, scored: Scored) -> float:
        """How far the question's own words are the plan's words (IDF-weighted, 0..1). A colloquial
        question ("娃娃在学校被同学欺负") has little; its BM25 rankings rest on stray words."""
        if not is_chinese(scored.question):
            return 1.0  # English: BM25 sees glossary terms only, and those are the plan's words
        return coverage(topic_tokens(scored.tokens + scored.added), self.corpus_text, self.bm25)

    def rank_refs(self, scored: Scored, mode: str = "hybrid") -> list[tuple[str, float]]:
        """Reciprocal-rank fusion of the four lists; each BM25 list votes with the question's
        lexical support as its weight."""
        fused: dict[str, float] = {}
        support = self.lexical_support(scored) if mode == "hybrid" else 1.0
        for signal, level in LISTS:
            if mode != "hybrid" and signal != mode:
                continue
            scores = scored.dense if signal == "dense" else scored.bm25
            if signal == "bm25" and scores.max() <= 0:
                continue
            weight = self.weights.get((signal, level), 1.0) * (support * BM25_WEIGHT if signal == "bm25" else 1.0)
            for ref, rank in self._ref_ranks(scores, level).items():
                fused[ref] = fused.get(ref, 0.0) + weight / (RRF_K + rank)
        if mode == "hybrid":
            for ref in self.named_by_title(scored.question):
                fused[ref] = fused.get(ref, 0.0) + TITLE_WEIGHT / RRF_K
        if mode == "hybrid" and question_kind(scored.question) == "number":
            for ref, rank in self._figure_ranks(scored).items():
                fused[ref] = fused.get(ref, 0.0) + 1.0 / (RRF_K + rank)
        return sorted(fused.items(), key=lambda kv: -kv[1])

    def named_by_title(self, question: str) -> list[str]:
        """Refs the question names: by title ("道路交通畅行工程的任务目标", "总体要求里…"), by number
        ("第十四部分", "四(三)里")."""
        q = _plain(question)
        named = [ref for ref, title in self._titles.items() if len(title) >= MIN_TITLE and title in q]
        numbered = [m.group(1) for m in _PART_NUMBER.finditer(q)] + [f"{a}({b})" for a, b in _SECTION_REF.findall(q)]
        if _LAST_PART.search(q):
            numbered.append(self._last_part)
        return named + [ref for ref in numbered if ref in self._titles and ref not in named]

    def _figure_ranks(self, scored: Scored) -> dict[str, int]:
        """A fifth list for figure questions: refs by their best passage that states a figure. A
        section and its 专栏 row often share the words; the row is the one with the number."""
        idx = np.flatnonzero(self._figure)
        combined = scored.dense[idx] + 0.5 * scored.bm25_scaled[idx]
        return self._first_ranks(idx[np.argsort(-combined, kind="stable")])

    def best_chunk(self, ref: str, scored: Scored) -> Chunk:
        """The chunk of `ref` whose passages score best (dense + scaled BM25)."""
        combined = scored.dense + scored.bm25_scaled
        idx = self._ref_rows.get(ref, [])
        return self.chunks[self.passages[max(idx, key=lambda i: combined[i])].chunk]

    def search(self, question: str, k: int = 5, mode: str = "hybrid", scored: Scored | None = None) -> list[Hit]:
        question = normalize_query(question)
        if not question:
            return []
        scored = scored or self.score(question)
        hits = []
        for ref, score in self.rank_refs(scored, mode)[:k]:
            chunk = self.best_chunk(ref, scored)
            hits.append(Hit(ref, chunk.title, chunk.text, score, chunk))
        return hits
