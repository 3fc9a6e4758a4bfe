"""Questions about the notice itself (文号, date, issuer, session, addressees), answered from the
parsed header of the plan: "这份通知哪天印发、发给谁？" -> the header's date and addressee sentences."""

from __future__ import annotations

import re

from ..documents.refs import HEADER_REF
from .evidence import Evidence, Group
from .words import pattern

# (list of words, header key, whether the question must also name the notice — "什么时候完成" asks
# about a task, not about the notice's date)
FACTS = (("notice_number", "number", False), ("notice_date", "date", True), ("notice_session", "session", False),
         ("notice_issuer", "issuer", False), ("notice_issuer_asked", "issuer", True),
         ("notice_addressees", "addressees", True))


def asks_about_notice(question: str) -> bool:
    """Does the question ask for the notice's 文号, date, issuer or session ("通知是谁发的？")?"""
    return bool(pattern("notice").search(question)) and any(pattern(name).search(question) for name, _, _ in FACTS)


def notice_facts(question: str) -> list[str]:
    """Header keys the question asks for ("这份通知哪天印发、发给谁？" -> date, addressees)."""
    names_notice = bool(pattern("notice").search(question))
    keys = [key for name, key, needs in FACTS if pattern(name).search(question) and (names_notice or not needs)]
    return list(dict.fromkeys(keys))


def plan(q, ctx) -> Evidence | None:
    header = ctx.doc.header
    keys = [key for key in notice_facts(q.standalone) if header.get(key)]
    if not keys or HEADER_REF not in ctx.doc.by_ref:
        return None
    text = ctx.doc.by_ref[HEADER_REF].text  # sentences keep their 。 so the quote is verbatim
    sentences = re.findall(r"[^\n。]+。?", text)
    lines = [next((s.strip() for s in sentences if header[key] in s), header[key]) for key in keys]
    return Evidence("notice", [Group(HEADER_REF, list(dict.fromkeys(lines)))], facts={"keys": keys})
