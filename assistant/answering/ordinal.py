"""Follow-ups by position and reference ("刚才说的第三点展开讲讲", "上面第二个具体怎么做"), resolved
against the items of the previous answer (its numbered or bulleted lines with their [ref], or the
citations the history carries): the pointed item's paragraph, its sentences most about that item
first, leaving out what the earlier answer already said."""

from __future__ import annotations

import re

from .evidence import Evidence, Group

MAX_LINES = 6


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
    ref = item.ref or (sub.hits[0].ref if sub.hits else None)
    node = ctx.doc.by_ref.get(ref) if ref else None
    if node is None:
        return None
    said = "\n".join(str(t.get("content") or "") for t in q.history)
    refs = [node.ref] + [c.ref for c in node.children]
    pool = ctx.sentence_pool(sub.scored, refs)
    chosen = [i for _, i in pool if ctx.passages[i].text.strip() not in said][:MAX_LINES]
    chosen.sort()
    groups: dict[str, Group] = {}
    for i in chosen:
        groups.setdefault(ctx.passages[i].ref, Group(ctx.passages[i].ref)).lines.append(ctx.passages[i].text.strip())
    if not groups:
        return None
    return Evidence("ordinal", list(groups.values()), facts={"item": item.text, "n": item.n}, hits=sub.hits)
