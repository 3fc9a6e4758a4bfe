"""The Python API: `Assistant.load().retrieve(question, k)` and `.ask(question, history)`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .chunk import Chunk, Passage, chunk_document, passages_of
from .config import Config
from .embed import Embedder, get_embedder
from .lexical import JiebaTokenizer, build_bm25, plan_terms
from .parse import Document, load
from .retrieve import Hit, HybridRetriever, normalize_query
from .store import DenseIndex, open_index
from .targets import dictionary_names
from .types import Answer, StreamEvent

MAX_QUESTION_CHARS = 2000
MAX_K = 50


def clamp_k(k) -> int:
    """Top-k as asked, within 1..MAX_K (the CLI rejects values outside; the API serves the nearest)."""
    return max(1, min(int(k), MAX_K))


@dataclass
class Assistant:
    config: Config
    doc: Document
    chunks: list[Chunk]
    passages: list[Passage]
    embedder: Embedder
    dense: DenseIndex
    retriever: HybridRetriever
    timings: dict = field(default_factory=dict)
    _context: object = None
    _ledger: object = None

    @classmethod
    def load(cls, config: Config | None = None, rebuild: bool = False, progress: bool = True, **overrides):
        """Parse the plan, open (or build) the index for the configured embedder, set up BM25."""
        config = config or Config.load(**overrides)
        started = time.perf_counter()
        doc = load(config.plan)
        chunks = chunk_document(doc)
        passages = passages_of(chunks)
        embedder = get_embedder(config.embedder)
        dense = open_index(passages, embedder, doc.sha256, config.index_path, rebuild=rebuild, progress=progress)
        tokenize = JiebaTokenizer(plan_terms([c.text for c in chunks], dictionary_names(doc)))
        bm25 = build_bm25([p.embed_text for p in passages], tokenize)
        retriever = HybridRetriever(chunks, passages, dense, embedder, bm25, tokenize)
        timings = {"load_seconds": time.perf_counter() - started}
        return cls(config, doc, chunks, passages, embedder, dense, retriever, timings)

    def retrieve(self, question: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        return self.retriever.search(question, k=clamp_k(k), mode=mode)

    @property
    def context(self):
        """What the answering handlers read: the plan, the retriever, the ledger (built on first use)."""
        if self._context is None:
            from .answering import Context

            self._context = Context(self.doc, self.retriever, lambda: self.ledger)
        return self._context

    @staticmethod
    def clean_history(history) -> list[dict]:
        """Earlier turns capped like questions (a pasted 50,000-character turn must not stall the
        shared embedder for everyone); anything that is not a {"role", "content"} turn is skipped.
        An assistant turn may carry its "citations" ([{ref, title, text}]): follow-ups by position use them."""
        return [dict(t, content=str(t.get("content") or "")[:MAX_QUESTION_CHARS])
                for t in history or [] if isinstance(t, dict)]

    def prepare(self, question: str, history: list[dict] | None = None) -> tuple[str, str]:
        """(cleaned question, standalone question): control characters dropped, length capped,
        a follow-up rewritten in the frame of the earlier question."""
        from .chat import condense

        cleaned = normalize_query(str(question or ""))[:MAX_QUESTION_CHARS]
        if not cleaned:
            return cleaned, cleaned
        history = self.clean_history(history)
        if self.config.llm_enabled and history:
            from .llm import condense_with_llm  # falls back to the rule-based rewrite on any failure

            return cleaned, condense_with_llm(self.config, cleaned, history)
        return cleaned, condense(cleaned, history)

    def ask(self, question: str, history: list[dict] | None = None, k: int = 5) -> Answer:
        """Answer with citations. Extractive by default; LLM mode when an endpoint is configured
        (falling back to the extractive answer with a notice when it fails)."""
        final = None
        for event in self.ask_stream(question, history, k):
            final = event.answer or final
        return final

    def ask_stream(self, question: str, history: list[dict] | None = None, k: int = 5):
        """Yields StreamEvents with the answer text so far; the last one carries the Answer."""
        from .answering import LLM_KINDS, Query, plan_evidence, write

        cleaned, standalone = self.prepare(question, history)
        history = self.clean_history(history)
        query = Query(cleaned, standalone, self.retriever, self.doc, history, clamp_k(k))
        evidence = plan_evidence(query, self.context)
        answer = write(evidence, cleaned or str(question or ""), self.doc, english=bool(cleaned) and not query.chinese)
        answer.standalone_question = standalone if standalone != cleaned else None
        if self.config.llm_enabled and not answer.refused and evidence.kind in LLM_KINDS:
            from .answering import llm_writer
            from .llm import llm_stream

            yield from llm_stream(self, cleaned, standalone, history, llm_writer.hits(evidence, self.doc), answer,
                                  sources=llm_writer.sources(evidence, self.doc))
            return
        yield StreamEvent(answer.text, answer)

    @property
    def ledger(self):
        if self._ledger is None:
            from .tasks import build_ledger

            self._ledger = build_ledger(self.doc)
        return self._ledger

