"""One document made searchable, and several searched as one.

A `Corpus` is a document's chunks and passages with their vectors (its own index, built once by content
hash under `index/docs/`, so adding a document embeds only that one) and its passages' tokens. Its refs
are qualified by the document's label unless it is the primary. `scoped_retriever` joins corpora into
one `HybridRetriever` for a question's scope: the vectors are stacked into a flat index and BM25 is
built over the scope's passages (bm25s, sparse), both in well under a second for dozens of documents.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from ..documents.chunk import Chunk, Passage, chunk_document, passages_of
from ..documents.library import Entry, qualified, qualify_ref
from ..documents.parse import Document
from .hybrid import HybridRetriever
from .lexical import BM25
from .store import DenseIndex, open_index


@dataclass
class Corpus:
    entry: Entry
    doc: Document  # refs qualified unless primary
    chunks: list[Chunk]
    passages: list[Passage]
    vectors: np.ndarray  # one row per passage, L2-normalised
    tokens: list[list[str]]  # BM25 tokens per passage

    @property
    def text(self) -> str:
        return "\n".join(n.full_text() for n in self.doc.nodes)


def content_sha256(passages: list[Passage]) -> str:
    """What a document's index is keyed on: the text it embeds. The same report as .docx and .pdf, or
    added again under other metadata, shares one index."""
    return hashlib.sha256("\n".join(p.embed_text for p in passages).encode("utf-8")).hexdigest()


def index_root(index_dir: Path, passages: list[Passage]) -> Path:
    return Path(index_dir) / "docs" / content_sha256(passages)[:16]


def build_corpus(entry: Entry, doc: Document, embedder, tokenize, index_dir: Path, progress: bool = False,
                 dense: DenseIndex | None = None) -> Corpus:
    """Chunks, passages and vectors of one document (its index loaded, or built once and kept)."""
    chunks = chunk_document(doc)
    passages = passages_of(chunks)
    dense = dense or open_index(passages, embedder, content_sha256(passages), index_root(index_dir, passages),
                                progress=progress)
    vectors = dense.index.reconstruct_n(0, dense.index.ntotal)
    if not entry.primary:  # refs by document: 2025内蒙古政府工作报告·二(三)
        doc = qualified(doc, entry.label)
        chunks = [replace(c, ref=qualify_ref(c.ref, entry.label),
                          part=qualify_ref(c.part, entry.label) if c.part else None) for c in chunks]
        passages = [replace(p, ref=qualify_ref(p.ref, entry.label)) for p in passages]
    return Corpus(entry, doc, chunks, passages, vectors, [tokenize(p.embed_text) for p in passages])


def merged_document(corpora: list[Corpus]) -> Document:
    """The documents of a scope as one tree: the first document's title and header, every node."""
    first = corpora[0].doc
    if len(corpora) == 1:
        return first
    nodes = [n for c in corpora for n in c.doc.nodes]
    return Document(first.title, dict(first.header), nodes, "+".join(c.doc.sha256[:8] for c in corpora))


def scoped_retriever(corpora: list[Corpus], embedder, tokenize) -> HybridRetriever:
    chunks: list[Chunk] = []
    passages: list[Passage] = []
    for c in corpora:
        offset = len(chunks)
        chunks += c.chunks
        passages += [replace(p, chunk=p.chunk + offset) for p in c.passages]
    index = faiss.IndexFlatIP(embedder.dim)
    index.add(np.vstack([c.vectors for c in corpora]).astype(np.float32))
    bm25 = BM25([t for c in corpora for t in c.tokens])
    return HybridRetriever(chunks, passages, DenseIndex(index, {}, built=False), embedder, bm25, tokenize)
