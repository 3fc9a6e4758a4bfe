"""What the LLM writer gets from an Evidence plan: the paragraphs of the refs it cites (an overview
also gets the outline of its part; a topical answer also the rest of the retrieval hits), and the same
refs as the only ones its answer may cite."""

from __future__ import annotations

from ..retrieval.hybrid import Hit
from .evidence import Evidence

# answers found by retrieval: the model may also use the other hits; structural answers keep to the tree
TOPICAL = frozenset({"figure", "qualitative", "measures", "ordinal", "premise", "multi"})


def evidence_refs(ev: Evidence, doc) -> list[str]:
    refs = ev.refs()
    if ev.kind == "overview":
        refs = [ev.facts["ref"], *refs]
    if ev.kind in TOPICAL:
        refs += [h.ref for h in ev.hits]
    return [r for r in dict.fromkeys(refs) if r in doc.by_ref]


def outline(doc, ref: str) -> str:
    node = doc.by_ref[ref]
    lines = [f"[{node.ref}] {node.title}"] + [f"  [{c.ref}] {c.title}" for c in node.children]
    return "提纲：\n" + "\n".join(lines)


def sources(ev: Evidence, doc) -> str:
    paragraphs = [f"[{r}] {doc.by_ref[r].title}\n{(doc.by_ref[r].text or doc.by_ref[r].full_text()).strip()}"
                  for r in evidence_refs(ev, doc)]
    head = [outline(doc, ev.facts["ref"])] if ev.kind == "overview" else []
    return "\n\n".join(head + paragraphs)


def hits(ev: Evidence, doc) -> list[Hit]:
    """The Evidence refs as hits, so the LLM's citations are checked against exactly these."""
    out = []
    for r in evidence_refs(ev, doc):
        node = doc.by_ref[r]
        out.append(Hit(r, node.title, node.text or node.full_text(), 1.0, None))
    return out
