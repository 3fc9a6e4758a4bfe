"""A file in, a document out: its text read by format, its tree parsed, its metadata read from its own
title and header (overridable). One place for the library and the CLI to call.

    >>> describe(read_document(None))
    {'year': 2026, 'region': '内蒙古自治区', 'kind': 'plan', 'title': '2026年内蒙古自治区国民经济和社会发展计划'}
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import DocumentError, LibraryError
from .parse import Document

SUFFIXES = (".txt", ".md", ".docx", ".pdf")


def read_document(path: Path) -> Document:
    """The document in a file (.docx .pdf .txt .md, formats/) with its metadata (metadata.py); a file
    that cannot be read whole is one LibraryError line naming it."""
    from .ingest import read_document as read_any

    try:
        return read_any(path)
    except DocumentError as e:
        raise LibraryError(str(e)) from None
    except OSError as e:
        raise LibraryError(f"读不了文件“{Path(path).name}”：{e.strerror or e}") from None


def inspect_file(path, title=None, year=None, region=None, kind=None) -> tuple[Document, dict]:
    """Read and parse a file as `add_document` would, without adding it: (document, metadata) where the
    metadata (title, year, region, kind, label) is what the file says unless given. What the web app
    shows for confirmation before the file is added. Anything wrong is one LibraryError."""
    path = Path(path)
    if not path.is_file():
        raise LibraryError(f"找不到文件：{path}")
    if path.suffix.lower() not in SUFFIXES:
        raise LibraryError(f"不支持的文件类型“{path.suffix or '无扩展名'}”（可加入：{'、'.join(SUFFIXES)}）")
    if kind and kind not in ("plan", "report", "other"):
        raise LibraryError(f"未知的文件类型“{kind}”（可选：plan、report、other）")
    doc = read_document(path)
    if not any(n.kind == "part" for n in doc.nodes):
        raise LibraryError("没有读出文件的章节结构（如“一、…”），未加入")
    meta = describe(doc)
    meta.update({k: v for k, v in {"title": title, "year": year, "region": region, "kind": kind}.items() if v})
    meta["title"] = meta.get("title") or doc.title
    meta["year"] = int(meta["year"]) if meta.get("year") else None
    meta["kind"] = meta.get("kind") or "other"
    meta["label"] = label_of(meta)
    return doc, meta


def add_document(library, path, title=None, year=None, region=None, kind=None, companion=False):
    """Read, parse and describe a file, then add it to the library; anything wrong is one LibraryError
    and the library stays as it was. Returns (entry, document)."""
    from .library import Entry, file_sha256

    doc, meta = inspect_file(path, title, year, region, kind)
    entry = Entry("", meta["label"], meta["title"], meta.get("region") or "", meta["year"], meta["kind"],
                  file_sha256(Path(path)), companion=companion, chars=sum(len(n.full_text()) for n in doc.nodes))
    return library.add(Path(path), entry), doc


def primary_entry(doc: Document):
    """The primary document's entry: its metadata read from its own title and header."""
    from .library import PRIMARY, Entry

    meta = describe(doc)
    return Entry(PRIMARY, label_of(meta), meta.get("title") or doc.title, meta.get("region") or "",
                 meta.get("year"), meta.get("kind") or "plan", doc.sha256)


def describe(doc: Document) -> dict:
    """The metadata of a parsed document, from its title and header (issuer, date)."""
    from .metadata import read_metadata

    meta = doc.meta or read_metadata(doc)
    return {"year": meta.year, "region": meta.region, "kind": meta.kind, "title": meta.title}


def label_of(meta: dict) -> str:
    """2025内蒙古政府工作报告: year, region without its suffix, the kind's name (metadata.make_label)."""
    from .metadata import make_label

    return make_label(meta.get("title") or "", meta.get("region") or "", meta.get("year"), meta.get("kind") or "other")


@lru_cache(maxsize=64)
def _qualified_file(path: str, sha256: str, label: str) -> Document:
    from .library import qualified

    return qualified(read_document(Path(path)), label)


def document_of(library, entry) -> Document:
    """An added document's tree, its refs qualified by its label (2025内蒙古政府工作报告·二(三)); read
    once per file content (the primary is not in the library's files: its Document is the caller's)."""
    return _qualified_file(str(library.path_of(entry)), entry.sha256, entry.label)


def find_node(library, ref: str, primary: Document | None = None, key: str | None = None):
    """(entry, node) for a ref of any document in the library: 2025内蒙古政府工作报告·二(三) (its own
    part spelled as people type it: 二（三）, 专栏二), a bare ref of `primary` (the primary's Document,
    when given), or with `key` (a document's id or label) a ref of that document as it writes it
    (二(三)). UnknownRef, with close matches, when none has it; LibraryError for an unknown key."""
    from .library import qualify_ref, split_ref
    from .refs import UnknownRef, normalize_ref

    label, own = split_ref(ref.strip().strip("[]【】"), [e.label for e in library.others])
    if key is not None:
        entry = library.get(key)
        if label is not None and label != entry.label:
            raise UnknownRef(ref, [])
    elif label is not None:
        entry = next(e for e in library.others if e.label == label)
    else:
        entry = library.entries[0]
    if entry.primary:
        if primary is None:
            raise UnknownRef(ref, [])
        return entry, primary.get(own)
    doc = document_of(library, entry)
    try:
        return entry, doc.get(qualify_ref(normalize_ref(own), entry.label))
    except UnknownRef as e:
        raise UnknownRef(ref, e.suggestions) from None
