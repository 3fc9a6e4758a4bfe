"""Hybrid retrieval: dense (FAISS) and BM25 (jieba) rankings fused, then grouped by ref."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .chunk import Chunk
from .embed import Embedder
from .lexical import BM25
from .store import DenseIndex

RRF_K = 20


@dataclass(frozen=True)
class Hit:
    ref: str
    title: str
    text: str  # the best-matching chunk of that ref
    score: float
    chunk: Chunk

    def to_json(self) -> dict:
        return {"ref": self.ref, "title": self.title, "text": self.text, "score": round(self.score, 4)}


def normalize_query(question: str) -> str:
    """NFKC (full-width digits and letters -> ASCII), collapse whitespace, drop control characters."""
    q = unicodedata.normalize("NFKC", question)
    q = "".join(ch for ch in q if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return re.sub(r"\s+", " ", q).strip()


def rank_of(scores: np.ndarray) -> np.ndarray:
    """rank (0 = best) of every document; ties share the order of appearance."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(len(scores))
    return ranks


class HybridRetriever:
    def __init__(
        self,
        chunks: list[Chunk],
        dense: DenseIndex,
        embedder: Embedder,
        bm25: BM25,
        tokenize: Callable[[str], list[str]],
        dense_weight: float = 1.0,
        bm25_weight: float = 1.0,
    ):
        self.chunks = chunks
        self.dense = dense
        self.embedder = embedder
        self.bm25 = bm25
        self.tokenize = tokenize
        self.dense_weight = dense_weight
        self.bm25_weight = bm25_weight

    def dense_scores(self, question: str) -> np.ndarray:
        vec = self.embedder.encode([question], "query")[0]
        sims, ids = self.dense.search(vec, len(self.chunks))
        out = np.full(len(self.chunks), -1.0, dtype=np.float32)
        out[ids[ids >= 0]] = sims[ids >= 0]
        return out

    def bm25_scores(self, question: str) -> np.ndarray:
        return self.bm25.scores(self.tokenize(question))

    def chunk_scores(self, question: str, mode: str = "hybrid") -> np.ndarray:
        """One score per chunk. Hybrid is reciprocal-rank fusion; a side with no signal
        (a query none of whose words is in the plan) does not vote."""
        if mode == "dense":
            return self.dense_scores(question)
        bm = self.bm25_scores(question)
        if mode == "bm25":
            return bm
        dense = self.dense_scores(question)
        fused = self.dense_weight / (RRF_K + rank_of(dense))
        if bm.max() > 0:
            fused = fused + self.bm25_weight * (bm > 0) / (RRF_K + rank_of(bm))
        return fused

    def search(self, question: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        question = normalize_query(question)
        if not question:
            return []
        scores = self.chunk_scores(question, mode)
        best: dict[str, Hit] = {}
        for i in np.argsort(-scores, kind="stable"):
            chunk = self.chunks[i]
            if chunk.ref not in best:
                best[chunk.ref] = Hit(chunk.ref, chunk.title, chunk.text, float(scores[i]), chunk)
                if len(best) == k:
                    break
        return list(best.values())
