"""Document tree -> retrieval chunks.

One chunk per section, per part lead paragraph, per 专栏 row (with the column title as context), the
header, each opening paragraph, a report's closing (结束语) and an appendix (名词解释). A long text is
split at sentence ends; every piece keeps the ref of the node it came from, and the pieces of a node
concatenate back to its text exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parse import Document, Node

CHUNKER_VERSION = "3"
MAX_CHARS = 320

_SENTENCE_END = re.compile(r"(?<=[。！？；!?])|(?<=\n)")


@dataclass(frozen=True)
class Chunk:
    ref: str
    kind: str
    title: str
    context: str  # the headings above the text, e.g. "四、大力发展现代能源经济… > （三）加强矿产资源开发利用"
    text: str
    part: str | None
    start: int  # offsets of `text` inside the node's own text
    end: int

    @property
    def id(self) -> str:
        return f"{self.ref}@{self.start}"

    @property
    def embed_text(self) -> str:
        """What the embedder and BM25 see: the headings give short rows and sections their topic."""
        return f"{self.context}\n{self.text}" if self.context else self.text


def split_sentences(text: str) -> list[str]:
    """'甲。乙；丙' -> ['甲。', '乙；', '丙']; joining the pieces gives the text back."""
    return [s for s in _SENTENCE_END.split(text) if s]


def split_text(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, int]]:
    """Greedy packing of whole sentences into spans of at most `max_chars` (a longer sentence
    stands alone). Returns (start, end) offsets that tile the text."""
    spans, start, end = [], 0, 0
    for sentence in split_sentences(text):
        if end > start and end - start + len(sentence) > max_chars:
            spans.append((start, end))
            start = end
        end += len(sentence)
    if end > start:
        spans.append((start, end))
    return spans


def context_of(doc: Document, node: Node) -> str:
    if node.kind == "header":  # name the notice's fields: questions ask for 文号, not "内政发〔2026〕5号"
        return f"{doc.title} 印发通知（发文机关、文号、成文日期、主送单位、审议会议）"
    if node.kind == "opening":
        return doc.title
    if node.kind in ("closing", "appendix"):  # after the last part: 结束语, 名词解释
        return f"{doc.title} > {node.title}"
    part = doc.by_ref[node.part]
    heading = f"{part.ref}、{part.title}"
    if node.kind == "part":
        return heading
    if node.kind == "section":
        return f"{heading} > {node.title}"
    column = doc.by_ref[node.ref.split("·", 1)[0]]
    return f"{heading} > {column.ref} {column.title} > {node.title}"


def chunk_document(doc: Document, max_chars: int = MAX_CHARS) -> list[Chunk]:
    chunks = []
    for node in doc.walk():
        if not node.text:
            continue
        context = context_of(doc, node)
        for start, end in split_text(node.text, max_chars):
            chunks.append(
                Chunk(node.ref, node.kind, node.title, context, node.text[start:end], node.part, start, end)
            )
    return chunks


@dataclass(frozen=True)
class Passage:
    """A unit of retrieval: a whole chunk, or one sentence of a chunk (with the chunk's headings).
    Both granularities are searched: sentences find the one line a number question is about,
    chunks carry the topic of a paragraph."""

    ref: str
    chunk: int  # index into the chunk list
    level: str  # "chunk" | "sentence" | "both" (a one-sentence chunk is its own sentence)
    text: str
    embed_text: str

    @property
    def id(self) -> str:
        return f"{self.level[0]}:{self.ref}:{hash_text(self.text)}"


def hash_text(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def passages_of(chunks: list[Chunk]) -> list[Passage]:
    out = []
    for i, c in enumerate(chunks):
        sentences = [s for s in split_sentences(c.text) if s.strip()]
        out.append(Passage(c.ref, i, "chunk" if len(sentences) > 1 else "both", c.text, c.embed_text))
        if len(sentences) > 1:
            out += [Passage(c.ref, i, "sentence", s, f"{c.context}\n{s}") for s in sentences]
    return out
