"""Follow-ups by position and reference ("刚才说的第三点展开讲讲", "上面第二个具体怎么做"), resolved
against the items of the previous answer, in whatever shape it was written (answering/items.py): the
pointed item's own paragraph — its body, most about the item first, never its heading alone — leaving
out what the earlier answer already said. An item that is a name the plan uses (现代煤化工) is answered
with the sentences that name it, wherever they are."""

from __future__ import annotations

import re

from .evidence import Evidence, Group
from .items import _plain, was_said
from .tree import HEADING_SENTENCE
from .words import pattern

MAX_LINES = 6
MAX_LINES_EXPANDED = 10  # "展开说说", "具体怎么做": the item's paragraph at more length
MAX_NAME_CHARS = 10  # an item this short that the plan names verbatim is a name, not a summary


def _same_subject(ctx, node) -> list[str]:
    """The node, its children, and the nodes whose title holds its title or is held by it (a section
    and its 专栏 row: 强化水资源管理和节约利用 / 水资源管理和节约利用)."""
    title = _plain(node.title).removeprefix("实施")
    twins = [n.ref for n in ctx.doc.walk() if n is not node and n.kind in ("section", "row") and len(title) >= 4
             and (title in _plain(n.title) or _plain(n.title).removeprefix("实施") in title)]
    return [node.ref] + [c.ref for c in node.children] + twins


def _named_lines(ctx, name: str, said: str) -> list[int]:
    """Sentences naming the item, unless it is a title (its paragraph is the answer then)."""
    if any(name in _plain(n.title) for n in ctx.doc.walk() if n.kind in ("section", "row", "part")):
        return []
    return [i for i, p in enumerate(ctx.passages) if ctx.sentence_idx[i] and name in _plain(p.text)
            and not was_said(p.text, said) and not HEADING_SENTENCE.match(p.text.strip())]


def plan(q, ctx) -> Evidence | None:
    item = q.pointed
    if item is None:
        return None
    sub = q.about(item.text)
    if q.kind == "number" or re.search(r"多少|几", q.text):
        found = ctx.plan_part(q.about(item.text + "的目标是多少？"))
        if not found.refused:
            found.facts["item"] = item.text
            return found
    said = _plain("\n".join(str(t.get("content") or "") for t in q.history))
    name = _plain(item.text)
    ref = item.ref or (sub.hits[0].ref if sub.hits else None)
    node = ctx.doc.by_ref.get(ref) if ref else None
    # an item found by its name as a 专栏 row: the section of that name says the same at length (an
    # item the earlier answer cited as the row stays the row)
    if node is not None and node.kind == "row" and not item.marked:
        node = next((ctx.doc.by_ref[r] for r in _same_subject(ctx, node)[1:]
                     if ctx.doc.by_ref[r].kind == "section"), node)
    most = MAX_LINES_EXPANDED if pattern("expand").search(q.text) else MAX_LINES
    named = _named_lines(ctx, name, said) if len(name) <= MAX_NAME_CHARS else []
    if named and node is not None:  # the item's own paragraph first, then where else the plan names it
        own = set(_same_subject(ctx, node))
        named = sorted(named, key=lambda i: ctx.passages[i].ref not in own)
    body: list[int] = []
    if node is not None and len(named) < MAX_LINES // 2:  # a name said once: its paragraph's body too
        refs = _same_subject(ctx, node)
        pool = [i for _, i in ctx.sentence_pool(sub.scored, refs)
                if not HEADING_SENTENCE.match(ctx.passages[i].text.strip()) and i not in named]
        fresh = [i for i in pool if not was_said(ctx.passages[i].text, said)] or ([] if named else pool)
        # the pointed node's own lines first (up to half), then the best of its twins
        own_lines = [i for i in fresh if ctx.passages[i].ref in [node.ref, *(c.ref for c in node.children)]]
        body = own_lines[:MAX_LINES // 2] + [i for i in fresh if i not in own_lines[:MAX_LINES // 2]]
    chosen = (named + body)[:most]
    if not chosen:
        return None
    # the pointed node's own lines first, then the rest in the plan's order
    own_refs = {node.ref, *(c.ref for c in node.children)} if node is not None else set()
    order = {n.ref: k for k, n in enumerate(ctx.doc.walk())}
    chosen.sort(key=lambda i: (ctx.passages[i].ref not in own_refs, order.get(ctx.passages[i].ref, 0), i))
    groups: dict[str, Group] = {}
    for i in chosen:
        groups.setdefault(ctx.passages[i].ref, Group(ctx.passages[i].ref)).lines.append(ctx.passages[i].text.strip())
    if not groups:
        return None
    return Evidence("ordinal", list(groups.values()), facts={"item": item.text, "n": item.n}, hits=sub.hits)
