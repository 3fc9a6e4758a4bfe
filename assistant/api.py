"""The Python API: `Assistant.load().retrieve(question, k)` and `.ask(question, history)`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .chunk import Chunk, chunk_document
from .config import Config
from .embed import Embedder, get_embedder
from .lexical import JiebaTokenizer, build_bm25, plan_terms
from .parse import Document, load
from .retrieve import Hit, HybridRetriever
from .store import DenseIndex, open_index


@dataclass
class Assistant:
    config: Config
    doc: Document
    chunks: list[Chunk]
    embedder: Embedder
    dense: DenseIndex
    retriever: HybridRetriever
    timings: dict = field(default_factory=dict)

    @classmethod
    def load(cls, config: Config | None = None, rebuild: bool = False, progress: bool = True, **overrides):
        """Parse the plan, open (or build) the index for the configured embedder, set up BM25."""
        config = config or Config.load(**overrides)
        started = time.perf_counter()
        doc = load(config.plan)
        chunks = chunk_document(doc)
        embedder = get_embedder(config.embedder)
        dense = open_index(chunks, embedder, doc.sha256, config.index_path, rebuild=rebuild, progress=progress)
        tokenize = JiebaTokenizer(plan_terms([c.text for c in chunks], [n.title for n in doc.walk()
                                                                          if n.kind == "row"]))
        bm25 = build_bm25([c.embed_text for c in chunks], tokenize)
        retriever = HybridRetriever(chunks, dense, embedder, bm25, tokenize)
        timings = {"load_seconds": time.perf_counter() - started}
        return cls(config, doc, chunks, embedder, dense, retriever, timings)

    def retrieve(self, question: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        return self.retriever.search(question, k=k, mode=mode)
