"""Hybrid retrieval: four rankings of the plan's refs fused by reciprocal rank.

Every passage (a whole chunk, and each sentence of it) gets a dense score (FAISS, cosine) and a
BM25 score (jieba tokens). Each of the four lists (dense·chunk, dense·sentence, bm25·chunk,
bm25·sentence) ranks refs by their best passage; a ref's score is the sum of weight/(RRF_K + rank).
The BM25 lists weigh as much as the question's words are the plan's words: a question in the plan's
terms is ranked by both, a colloquial one mostly by meaning; with no matching word at all BM25
does not vote. A question asking for a figure adds a fifth list: refs by their best passage that
states one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .chunk import Chunk, Passage
from .embed import Embedder
from .intent import has_figure, question_kind
from .lexical import BM25, coverage, topic_tokens
from .store import DenseIndex

MAX_EMBED_CHARS = 512  # e5's window is 512 tokens; a real question is far shorter
RRF_K = 2  # small: the first places of each list decide; tuned on the eval set, see eval/README.md
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


def normalize_query(question: str) -> str:
    """NFKC (full-width digits and letters -> ASCII), drop control characters, collapse whitespace.

    >>> normalize_query("  粮食产量\\u0000目标是多少？２０２６ ")
    '粮食产量目标是多少?2026'
    """
    q = unicodedata.normalize("NFKC", question)
    q = re.sub(r"<[^>]{0,200}>", " ", q)  # markup pasted into the box is not part of the question
    q = "".join(ch for ch in q if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return re.sub(r"\s+", " ", q).strip()


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

    def score(self, question: str) -> Scored:
        tokens = self.tokenize(question)
        # the embedder reads at most MAX_EMBED_CHARS: its cost grows with length and it is shared by all users
        dense = self.dense.similarities(self.embedder.encode([question[:MAX_EMBED_CHARS]], "query")[0])
        return Scored(question, tokens, dense, self.bm25.scores(tokens))

    def _ref_ranks(self, scores: np.ndarray, level: str) -> dict[str, int]:
        """ref -> rank (0 best) by the best passage of that level."""
        idx = np.flatnonzero((self._level == level) | (self._level == "both"))
        ranks: dict[str, int] = {}
        for i in idx[np.argsort(-scores[idx], kind="stable")]:
            ranks.setdefault(self._refs[i], len(ranks))
        return ranks

    def lexical_support(self, scored: Scored) -> float:
        """How far the question's own words are the plan's words (IDF-weighted, 0..1). A colloquial
        question ("娃娃在学校被同学欺负") has little; its BM25 rankings rest on stray words."""
        if not re.search(r"[\u4e00-\u9fff]", scored.question):
            return 1.0  # English: BM25 sees glossary terms only, and those are the plan's words
        return coverage(topic_tokens(scored.tokens), self.corpus_text, self.bm25)

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
            weight = self.weights.get((signal, level), 1.0) * (support if signal == "bm25" else 1.0)
            for ref, rank in self._ref_ranks(scores, level).items():
                fused[ref] = fused.get(ref, 0.0) + weight / (RRF_K + rank)
        if mode == "hybrid" and question_kind(scored.question) == "number":
            for ref, rank in self._figure_ranks(scored).items():
                fused[ref] = fused.get(ref, 0.0) + 1.0 / (RRF_K + rank)
        return sorted(fused.items(), key=lambda kv: -kv[1])

    def _figure_ranks(self, scored: Scored) -> dict[str, int]:
        """A fifth list for figure questions: refs by their best passage that states a figure. A
        section and its 专栏 row often share the words; the row is the one with the number."""
        idx = np.flatnonzero(self._figure)
        bm = scored.bm25 / scored.bm25.max() if scored.bm25.max() > 0 else scored.bm25
        combined = scored.dense[idx] + 0.5 * bm[idx]
        ranks: dict[str, int] = {}
        for i in idx[np.argsort(-combined, kind="stable")]:
            ranks.setdefault(self._refs[i], len(ranks))
        return ranks

    def best_chunk(self, ref: str, scored: Scored) -> Chunk:
        """The chunk of `ref` whose passages score best (dense + scaled BM25)."""
        combined = scored.dense + (scored.bm25 / scored.bm25.max() if scored.bm25.max() > 0 else 0)
        idx = [i for i, p in enumerate(self.passages) if p.ref == ref]
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
