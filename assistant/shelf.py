"""The documents an `Assistant` answers over: the library's entries made searchable on first use (each
its own `Corpus`), and the answering `Context` of a scope (one or several documents searched as one),
both kept once built. With only the primary, the one context is the primary's, as before."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from .documents.library import MANIFEST, Entry, Library, qualified
from .documents.parse import Document
from .errors import LibraryError
from .retrieval.corpus import Corpus, build_corpus, merged_document, scoped_retriever
from .retrieval.vocabulary import Vocabulary

log = logging.getLogger("plan_assistant.library")

MAX_CONTEXTS = 16  # scopes kept built (a scope of 50 documents takes about a second to join)


def read_document(path) -> Document:
    """A file of any supported format as a document tree."""
    from .documents.intake import read_document as read

    return read(path)


@dataclass(frozen=True)
class Source:
    """One document of a scope, parsed but not indexed (a Corpus has the same two fields)."""

    entry: Entry
    doc: Document


@dataclass
class Shelf:
    library: Library
    embedder: object
    tokenize: object
    index_dir: object
    primary: Corpus
    primary_context: object
    vocabulary: Vocabulary | None
    _corpora: dict = field(default_factory=dict)
    _documents: dict = field(default_factory=dict)  # entry id -> (sha256, parsed document)
    _qualified: dict = field(default_factory=dict)  # (entry id, label) -> (sha256, refs qualified)
    _contexts: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stamp: object = "unread"  # the manifest's (inode, mtime, size) when the entries were last read

    def refresh(self) -> Library:
        """The library as its folder now holds it: re-read when the manifest changed since (a document
        added or removed by another process: the CLI, another worker, the web app), the corpora and
        scopes of documents gone or changed forgotten. A manifest that cannot be read keeps the entries
        as they were (and is logged)."""
        path = self.library.folder / MANIFEST
        try:  # the manifest is replaced whole on each save: a new inode, whatever the clock's granularity
            st = path.stat()
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp == self._stamp:
            return self.library
        try:
            fresh = Library.open(self.library.folder, self.library.entries[0])
        except LibraryError as e:
            log.warning("library not re-read: %s", e)
            return self.library
        before = {e.id: e.sha256 for e in self.library.entries}
        after = {e.id: e.sha256 for e in fresh.entries}
        self.library.entries = fresh.entries
        self._stamp = stamp
        for entry_id, sha in before.items():
            if after.get(entry_id) != sha:
                self.forget(entry_id)
        return self.library

    def corpus(self, entry: Entry) -> Corpus:
        if entry.primary:
            return self.primary
        with self._lock:
            found = self._corpora.get(entry.id)
            if found is None or found.entry.sha256 != entry.sha256:
                doc = self._document(entry)
                found = self._corpora[entry.id] = build_corpus(entry, doc, self.embedder, self.tokenize, self.index_dir)
            return found

    def _document(self, entry: Entry) -> Document:
        found = self._documents.get(entry.id)
        if found is None or found[0] != entry.sha256:
            found = self._documents[entry.id] = (entry.sha256, read_document(self.library.path_of(entry)))
        return found[1]

    def sources(self, ids: list[str]) -> list[Source]:
        """The documents of a scope as read and parsed, refs qualified, with no index built: what a
        comparison of targets needs (a table over 50 documents answers before any of them is embedded)."""
        entries = [self.library.get(i) for i in ids]
        with self._lock:
            return [Source(e, self.primary.doc if e.primary else self._qualified_doc(e)) for e in entries]

    def _qualified_doc(self, entry: Entry) -> Document:
        """The document with its refs qualified, copied once (not at every question over 50 documents)."""
        key = (entry.id, entry.label)
        found = self._qualified.get(key)
        if found is None or found[0] != entry.sha256:
            found = self._qualified[key] = (entry.sha256, qualified(self._document(entry), entry.label))
        return found[1]

    def context(self, ids: list[str]):
        """The answering context of these documents (the primary's own when it is the only one)."""
        entries = [self.library.get(i) for i in ids]
        if [e.id for e in entries] == [self.library.entries[0].id]:
            return self.primary_context
        key = tuple(e.id for e in entries)
        with self._lock:
            if key in self._contexts:
                return self._contexts[key]
        corpora = [self.corpus(e) for e in entries]
        from .answering import Context

        doc = merged_document(corpora)
        retriever = scoped_retriever(corpora, self.embedder, self.tokenize)
        vocabulary = None
        if self.vocabulary is not None:  # the primary's words and their vectors; the scope's own text
            v = self.vocabulary
            sentences = [p.text for p in retriever.passages if p.level in ("sentence", "both")]
            vocabulary = Vocabulary("\n".join(c.text for c in corpora), v.words, v.vectors, v.embedder, sentences)
        ctx = Context(doc, retriever, self.primary_context.ledger_of, vocabulary=vocabulary,
                      extras={"scope": key, "entries": entries, "corpora": corpora})
        with self._lock:
            if len(self._contexts) >= MAX_CONTEXTS:
                self._contexts.pop(next(iter(self._contexts)))
            self._contexts[key] = ctx
        return ctx

    def forget(self, entry_id: str) -> None:
        """After a document is removed: its corpus and every scope that held it."""
        with self._lock:
            self._corpora.pop(entry_id, None)
            self._documents.pop(entry_id, None)
            for key in [k for k in self._qualified if k[0] == entry_id]:
                self._qualified.pop(key)
            for key in [k for k in self._contexts if entry_id in k]:
                self._contexts.pop(key)
