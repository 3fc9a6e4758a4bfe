"""A file -> a Document the rest can use: read (formats), parsed into its tree (parse), with its
metadata read from its own header unless the caller says otherwise (metadata).

    >>> doc = read_document(None)
    >>> (doc.meta.label, doc.meta.kind, doc.source.format, len(doc.parts))
    ('2026内蒙古计划', 'plan', 'txt', 14)
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from .formats import SourceText, read_source
from .metadata import read_metadata
from .parse import BUNDLED_PLAN, Document, parse


def read_document(
    path: str | Path | None,
    *,
    title: str | None = None,
    region: str | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> Document:
    """The document at `path` (.docx .pdf .txt .md), or the bundled plan for None. Raises a
    DocumentError subclass, with one Chinese line, for a file that cannot be read whole."""
    source = _bundled() if path is None else read_source(path)
    doc = parse(source.text)
    fallback = None if path is None else Path(path).stem
    doc.meta = read_metadata(doc, title=title, region=region, year=year, kind=kind, fallback_title=fallback)
    doc.source = source
    return doc


def _bundled() -> SourceText:
    data = resources.files("assistant.data").joinpath(BUNDLED_PLAN).read_bytes()
    return SourceText(BUNDLED_PLAN, "txt", data.decode("utf-8"), hashlib.sha256(data).hexdigest(), len(data))
