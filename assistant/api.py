"""The Python API: `Assistant.load().retrieve(question, k)` and `.ask(question, history)`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .config import Config
from .documents.chunk import Chunk, Passage, chunk_document, passages_of
from .documents.parse import Document, load
from .documents.targets import dictionary_names
from .retrieval.embedders import Embedder, get_embedder
from .retrieval.hybrid import Hit, HybridRetriever, normalize_query
from .retrieval.lexical import JiebaTokenizer, build_bm25, plan_terms
from .retrieval.store import DenseIndex, open_index, open_word_vectors
from .types import Answer, StreamEvent

MAX_QUESTION_CHARS = 2000
MAX_K = 50


def clamp_k(k) -> int:
    """Top-k as asked, within 1..MAX_K (the CLI rejects values outside; the API serves the nearest)."""
    return max(1, min(int(k), MAX_K))


def load_vocabulary(doc: Document, passages: list[Passage], embedder: Embedder, root, progress: bool = True):
    """The plan's words with their vectors (built once beside the index) and its sentences."""
    from .retrieval.vocabulary import Vocabulary, plan_words

    text = "\n".join(n.full_text() for n in doc.nodes)
    words = plan_words(text)
    vectors = open_word_vectors(words, embedder, root, progress=progress)
    sentences = [p.text for p in passages if p.level in ("sentence", "both")]
    return Vocabulary(text, words, vectors, embedder, sentences)


def open_shelf(assistant, tokenize, _bm25):
    """The library beside the primary plan (empty unless documents were added)."""
    from .documents.intake import primary_entry
    from .documents.library import Library
    from .retrieval.corpus import Corpus
    from .shelf import Shelf

    a = assistant
    entry = primary_entry(a.doc)
    library = Library.open(a.config.library_path, entry)
    vectors = a.dense.index.reconstruct_n(0, a.dense.index.ntotal)
    primary = Corpus(entry, a.doc, a.chunks, a.passages, vectors, [tokenize(p.embed_text) for p in a.passages])
    return Shelf(library, a.embedder, tokenize, a.config.index_path, primary, a.context, a.vocabulary)


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
    vocabulary: object = None  # vocabulary.Vocabulary: the plan's words and the bridge to them
    shelf: object = None  # shelf.Shelf: the library's documents, searchable on first use
    _context: object = None
    _ledger: object = None

    @classmethod
    def load(cls, config: Config | None = None, rebuild: bool = False, progress: bool = True, build: bool = True,
             **overrides):
        """Parse the plan, open (or build) the index for the configured embedder, set up BM25. With
        `build` False an index that needs building is not built: StaleIndex instead."""
        config = config or Config.load(**overrides)
        started = time.perf_counter()
        doc = load(config.plan)
        chunks = chunk_document(doc)
        passages = passages_of(chunks)
        embedder = get_embedder(config.embedder)
        dense = open_index(passages, embedder, doc.sha256, config.index_path, rebuild=rebuild, progress=progress,
                           build=build)
        tokenize = JiebaTokenizer(plan_terms([c.text for c in chunks], dictionary_names(doc)))
        bm25 = build_bm25([p.embed_text for p in passages], tokenize)
        retriever = HybridRetriever(chunks, passages, dense, embedder, bm25, tokenize)
        vocabulary = load_vocabulary(doc, passages, embedder, config.index_path, progress)
        if config.llm_enabled:  # the client's import is no part of the first answer's time
            from .llm.client import warm_up

            warm_up(config)
        timings = {"load_seconds": time.perf_counter() - started}
        assistant = cls(config, doc, chunks, passages, embedder, dense, retriever, timings, vocabulary)
        assistant.shelf = open_shelf(assistant, tokenize, [bm25])
        return assistant

    def retrieve(self, question: str, k: int = 5, mode: str = "hybrid", docs: list[str] | None = None) -> list[Hit]:
        """The best passages for a question; `docs` (library ids or labels): searched over those
        documents instead of the primary (their refs qualified: 2025内蒙古政府工作报告·二(三))."""
        if docs and self.shelf is not None:
            retriever = self.shelf.context([self.library.get(d).id for d in docs]).retriever
            return retriever.search(question, k=clamp_k(k), mode=mode)
        return self.retriever.search(question, k=clamp_k(k), mode=mode)

    @property
    def library(self):
        """The library (the primary and the documents added beside it), as its folder now holds it."""
        return self.shelf.refresh()

    @property
    def context(self):
        """What the answering handlers read: the plan, the retriever, the ledger (built on first use)."""
        if self._context is None:
            from .answering import Context

            self._context = Context(self.doc, self.retriever, lambda: self.ledger, vocabulary=self.vocabulary)
        return self._context

    @staticmethod
    def clean_history(history) -> list[dict]:
        """Earlier turns capped like questions (a pasted 50,000-character turn must not stall the
        shared embedder for everyone); anything that is not a {"role", "content"} turn is skipped.
        An assistant turn may carry its "citations" ([{ref, title, text}]): follow-ups by position use them."""
        return [dict(t, content=str(t.get("content") or "")[:MAX_QUESTION_CHARS])
                for t in history or [] if isinstance(t, dict)]

    def prepare(self, question: str, history: list[dict] | None = None, budget=None) -> tuple[str, str]:
        """(cleaned question, standalone question): control characters dropped, length capped,
        a follow-up rewritten in the frame of the earlier question (by the model in LLM mode, within
        `budget`, the answer's deadline)."""
        from .chat import condense

        cleaned = normalize_query(str(question or ""))[:MAX_QUESTION_CHARS]
        if not cleaned:
            return cleaned, cleaned
        history = self.clean_history(history)
        if self.config.llm_enabled and history:
            from .llm import condense_with_llm  # falls back to the rule-based rewrite on any failure

            return cleaned, condense_with_llm(self.config, cleaned, history, budget)
        return cleaned, condense(cleaned, history)

    def ask(self, question: str, history: list[dict] | None = None, k: int = 5, docs: list[str] | None = None) -> Answer:
        """Answer with citations. Extractive by default; LLM mode when an endpoint is configured
        (falling back to the extractive answer with a notice when it fails). `docs`: library ids or
        labels to answer over, instead of the scope the question names (the primary by default)."""
        final = None
        for event in self.ask_stream(question, history, k, docs):
            final = event.answer or final
        return final

    def scope_context(self, question: str, docs: list[str] | None = None):
        """The answering context for a question: the documents it names, or `docs`, or the default."""
        from .scoping import resolve

        if self.shelf is None:
            return self.context
        return self.shelf.context(resolve(question, self.library, docs).ids)

    def compared(self, question: str, docs: list[str] | None = None):
        """(evidence, document) when the question compares a target across the documents of its scope,
        answered from their targets tables before any of them is indexed; else None."""
        from .answering.compare import compared
        from .retrieval.corpus import merged_document
        from .scoping import resolve

        if self.shelf is None or not question:
            return None
        ids = resolve(question, self.library, docs).ids
        if len(ids) < 2:
            return None
        sources = self.shelf.sources(ids)
        evidence = compared(question, sources)
        return None if evidence is None else (evidence, merged_document(sources))

    def ask_stream(self, question: str, history: list[dict] | None = None, k: int = 5, docs: list[str] | None = None):
        """Yields StreamEvents with the answer text so far; the last one carries the Answer."""
        from .answering import LLM_KINDS, Query, plan_evidence, write

        budget = None
        if self.config.llm_enabled:  # one deadline for every call to the model this answer makes
            from .llm import Budget

            budget = Budget.start(self.config)
        cleaned, standalone = self.prepare(question, history, budget)
        history = self.clean_history(history)
        compared = self.compared(standalone, docs)
        if compared is not None:  # a table of targets across documents: no index needed
            answer = write(compared[0], cleaned, compared[1])
            yield StreamEvent(answer.text, answer)
            return
        ctx = self.scope_context(standalone, docs)
        query = Query(cleaned, standalone, ctx.retriever, ctx.doc, history, clamp_k(k))
        evidence = plan_evidence(query, ctx)
        answer = write(evidence, cleaned or str(question or ""), ctx.doc, english=bool(cleaned) and not query.chinese)
        answer.standalone_question = standalone if standalone != cleaned else None
        if self.config.llm_enabled and not answer.refused and evidence.kind in LLM_KINDS:
            from .answering import llm_writer
            from .llm import llm_stream

            yield from llm_stream(self, cleaned, standalone, history, llm_writer.hits(evidence, ctx.doc), answer,
                                  sources=llm_writer.sources(evidence, ctx.doc), budget=budget)
            return
        yield StreamEvent(answer.text, answer)

    @property
    def ledger(self):
        if self._ledger is None:
            from .tasks import build_ledger

            self._ledger = build_ledger(self.doc)
        return self._ledger

