"""Reading the plan's tree for structural answers: what a node is called, its children, its key
clauses. Shared by the overview and count handlers; no retrieval here.

    part 七 -> "第七部分"; section 四(三) -> "四(三)"; 专栏1 -> "专栏1"
"""

from __future__ import annotations

import re

from ..intent import has_figure

HEADING_SENTENCE = re.compile(r"^（[一二三四五六七八九十]+）[^，；]{2,30}。$")
MAX_CLAUSE = 70


def scope_name(node) -> str:
    if node.kind == "part":
        return f"第{node.ref}部分"
    return node.ref if node.kind in ("section", "column", "row") else node.title


def sections(node) -> list:
    return [c for c in node.children if c.kind == "section"]


def columns(node) -> list:
    return [c for c in node.children if c.kind == "column"]


def rows(node) -> list:
    return [c for c in node.children if c.kind == "row"]


def body_sentences(ctx, ref: str) -> list[str]:
    return [s for s in ctx.sentences_of(ref) if not HEADING_SENTENCE.match(s)]


def key_clauses(ctx, node, n: int = 2) -> list[str]:
    """One or two key clauses of a section or row: those that state a figure first, then the opening
    clause of its first sentence. A 专栏 row's target lines are its key clauses."""
    if node.kind == "row":
        lines = [line.strip() for line in node.text.splitlines() if line.strip()]
        return lines[:n + 1]
    sentences = body_sentences(ctx, node.ref)
    clauses = [c.strip() for s in sentences for c in re.split(r"[，；。]", s) if c.strip()]
    figured = [c for c in clauses if has_figure(c) and len(c) <= MAX_CLAUSE]
    first = [c for c in clauses[:1] if len(c) <= MAX_CLAUSE]
    return list(dict.fromkeys(figured[:n] or first))[:n]
