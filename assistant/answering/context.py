"""What every handler may read: the parsed plan, the retriever, and derived views of both, built once
per `Assistant`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..retrieval.lexical import coverage, topic_tokens


@dataclass
class Context:
    doc: object  # parse.Document
    retriever: object  # retrieve.HybridRetriever
    ledger_of: object = None  # () -> the task ledger, built on first use
    extras: dict = field(default_factory=dict)
    vocabulary: object = None  # vocabulary.Vocabulary: the plan's words, and the bridge to them

    def plan_part(self, sub):
        """Evidence for one part of a question (a sub-question, the figure a premise states)."""
        from . import PART_HANDLERS, run

        return run(PART_HANDLERS, sub, self)

    @cached_property
    def doc_text(self) -> str:
        return "\n".join(n.full_text() for n in self.doc.nodes) + self.doc.title

    @cached_property
    def sentence_idx(self) -> np.ndarray:
        return np.array([p.level in ("sentence", "both") for p in self.retriever.passages])

    @cached_property
    def lowered_texts(self) -> list[str]:
        """Each passage's text in lower case, once per context (English words match any case)."""
        return [p.text.lower() for p in self.retriever.passages]

    @property
    def passages(self):
        return self.retriever.passages

    def coverage(self, topic: list[str], text: str) -> float:
        return coverage(topic, text, self.retriever.bm25)

    def topic(self, scored) -> list[str]:
        """The question's topic words to find beside a figure or measure. Words the plan never uses
        give way to the plan's terms for them (物价 -> 居民消费价格), when the glossaries know them."""
        if not scored.added:
            return topic_tokens(scored.tokens)
        vocab = self.retriever.bm25.vocab
        return topic_tokens([t for t in scored.tokens if t in vocab] + scored.added)

    def sentence_pool(self, scored, refs: list[str]) -> list[tuple[float, int]]:
        """(score, passage index) of the sentences of `refs`, best first. Score mixes meaning,
        word overlap and the rank of the ref."""
        bm = scored.bm25_scaled
        prior = {ref: 1.0 / (1 + i) for i, ref in enumerate(refs)}
        pool = []
        for i, p in enumerate(self.passages):
            if self.sentence_idx[i] and p.ref in prior:
                pool.append((float(scored.dense[i]) + 0.5 * float(bm[i]) + 0.2 * prior[p.ref], i))
        return sorted(pool, reverse=True)

    def sentences_of(self, ref: str) -> list[str]:
        """The sentences of one ref (a section, a 专栏 row, a lead paragraph), in plan order."""
        return [p.text.strip() for i, p in enumerate(self.passages) if self.sentence_idx[i] and p.ref == ref]
