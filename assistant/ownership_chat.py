"""The chat's answer to "…由哪个部门牵头/负责？": the matching task, its lead and co-departments,
and the basis (依据部门职能推断 / 依据分工方案), cited like every other answer."""

from __future__ import annotations

from .owners import BASIS_LABELS
from .parse import Document
from .tasks import OwnerAnswer
from .types import Answer, Citation

MIN_SCORE = 1e-6


def ownership_answer(question: str, found: list[OwnerAnswer], doc: Document) -> Answer | None:
    """None when no task matches, so the question is answered like any other."""
    found = [f for f in found if f.score > MIN_SCORE]
    if not found:
        return None
    best = found[0]
    lines = [f"{best.text} [{best.ref}]",
             f"牵头：{'、'.join(best.lead) or '未确定'}" + (f"；配合：{'、'.join(best.co)}" if best.co else ""),
             f"（{BASIS_LABELS[best.basis]}{'：' + best.reason if best.reason else ''}）"]
    others = [f for f in found[1:] if f.id != best.id]
    if others:
        lines.append("其他可能相关的任务：" + "；".join(f"{o.text}（牵头：{'、'.join(o.lead)}）[{o.ref}]"
                                                     for o in others[:2]))
    node = doc.by_ref[best.ref]
    citations = [Citation(best.ref, node.title, node.text, (best.text,))]
    for o in others[:2]:
        if o.ref != best.ref:
            citations.append(Citation(o.ref, doc.by_ref[o.ref].title, doc.by_ref[o.ref].text, (o.text,)))
    return Answer(question, "\n".join(lines), citations, refused=False, mode="extractive")
