"""The library as the HTTP routes and the MCP tools show it: the documents, one of them by id or label,
a ref of any of them (2025内蒙古政府工作报告·二(三), or 二(三) with the document named), a document's
outline and targets. Both edges call these and turn the errors into their own: UnknownDocument (a
document the library does not hold), UnknownRef, LibraryError (a manifest that cannot be read)."""

from __future__ import annotations

import json

from ..documents.intake import document_of, find_node
from ..documents.library import Entry, qualify_ref, split_ref
from ..documents.parse import Document, Node
from ..documents.refs import UnknownRef, normalize_ref
from ..errors import LibraryError


class UnknownDocument(LibraryError):
    """No document of the library has this id or label; the message lists those it has."""


def entries(core) -> list[dict]:
    return [e.to_json() for e in core.library().entries]


def document(core, key: str | None = None) -> tuple[Entry, Document]:
    """(entry, tree) of a document by id or label; the primary without `key`."""
    library = core.library()
    try:
        entry = library.get(key) if key else library.entries[0]
    except LibraryError as e:
        raise UnknownDocument(str(e)) from None
    return entry, core.doc if entry.primary else document_of(library, entry)


def check_documents(library, keys: list[str] | None) -> list[str] | None:
    """The ids of `keys` (ids or labels), None for none; UnknownDocument for one the library lacks."""
    try:
        return [library.get(k).id for k in keys] if keys else None
    except LibraryError as e:
        raise UnknownDocument(str(e)) from None


def node(core, ref: str, key: str | None = None) -> Node:
    """The node of a ref: qualified (any document), bare (the primary's, or with `key` that document's).
    A ref of the primary is found without reading the library, as before there was one."""
    if not key:
        try:
            return core.doc.get(ref)
        except UnknownRef as missing:
            library = core.library()
            if not library.others:
                raise
            try:
                return find_node(library, ref)[1]
            except UnknownRef as e:
                raise (missing if not e.suggestions else e) from None
    document(core, key)  # an unknown document is said as such, not as an unknown ref
    return find_node(core.library(), ref, primary=core.doc, key=key)[1]


def outline(core, key: str | None = None) -> dict:
    def tree(n):
        return {"ref": n.ref, "title": n.title, "children": [tree(c) for c in n.children]}

    doc = document(core, key)[1] if key else core.doc
    return {"title": doc.title, "outline": [tree(n) for n in doc.nodes]}


def targets(core, key: str | None = None, chapter: str | None = None) -> list[dict]:
    """A document's quantitative targets, all or under `chapter` (as the document writes it: 四, 专栏2;
    or qualified). UnknownRef for a chapter it does not have."""
    from ..documents.targets import extract_targets, filter_targets, targets_json

    if not key:
        return json.loads(targets_json(filter_targets(core.doc, core.targets, chapter or None)))
    entry, doc = document(core, key)
    found = core.targets if entry.primary else extract_targets(doc)  # 15 ms for a whole plan
    if chapter and not entry.primary:
        own = split_ref(chapter.strip(), [entry.label])[1]
        chapter = qualify_ref(normalize_ref(own), entry.label)
    return json.loads(targets_json(filter_targets(doc, found, chapter or None)))
