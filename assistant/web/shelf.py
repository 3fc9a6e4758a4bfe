"""What the tabs know of the library: its documents as they are now (re-read on each call, so a
document added in another session, by the CLI or by the service shows at once), the choices of a
document chooser, the default scope of a question, and a document's tree. No Gradio import.

The library is read from its folder, not from the Assistant, so the 文库 and 原文 tabs work while the
index is still loading; the Assistant re-reads the same manifest when it changes (Shelf.refresh).
"""

from __future__ import annotations

import threading

from ..documents.intake import document_of, primary_entry
from ..documents.library import Library
from ..scoping import resolve
from .state import CONFIG, DOC

PRIMARY = primary_entry(DOC)
KIND_NAMES = {"plan": "计划", "report": "政府工作报告", "other": "其他"}
WRITE_LOCK = threading.Lock()  # one add or remove at a time in this process (the manifest is rewritten whole)


def library() -> Library:
    return Library.open(CONFIG.library_path, PRIMARY)


def document_choices(lib: Library | None = None) -> list[tuple[str, str]]:
    """(label shown, id) for a chooser, the primary first: ("2027内蒙古计划（2027 · 计划）", "d1")."""
    lib = lib or library()
    return [(choice_label(e), e.id) for e in lib.entries]


def choice_label(entry) -> str:
    what = " · ".join(str(x) for x in (entry.year, KIND_NAMES.get(entry.kind, entry.kind)) if x)
    return f"{entry.label}（{'主文件 · ' if entry.primary else ''}{what}）"


def default_scope(lib: Library | None = None) -> list[str]:
    """The documents a question is asked over when nothing is chosen: the primary and its companions."""
    return resolve("", lib or library()).ids


def chosen_docs(scope: list[str] | None, lib: Library | None = None) -> list[str] | None:
    """What the chat passes to Assistant.ask as `docs`: None (the core decides, by what the question
    names, as without a library) for no choice or the default one; else the chosen ids that are still
    in the library (a document removed meanwhile is dropped; none left is the default)."""
    lib = lib or library()
    ids = {e.id for e in lib.entries}
    kept = [d for d in scope or [] if d in ids]
    if not kept or sorted(kept) == sorted(default_scope(lib)):
        return None
    return kept


def tree_of(key: str | None, lib: Library | None = None):
    """(entry, Document) of a document by id or label, the primary's for none; LibraryError if unknown."""
    lib = lib or library()
    entry = lib.get(key) if key else lib.entries[0]
    return entry, DOC if entry.primary else document_of(lib, entry)
