"""Who owns a task ("…由哪个部门牵头？", and "这一项归谁管" after a list): the matching task of the
ledger, its lead and co-departments, and the basis — an official 分工方案 once imported, otherwise an
inference from departments' functions, which the composer calls an inference."""

from __future__ import annotations

from .evidence import Evidence, Group

MIN_SCORE = 1e-6


def plan(q, ctx) -> Evidence | None:
    from ..owners import owners_for
    from ..tasks import find_owner, is_ownership_question

    if not is_ownership_question(q.text):
        return None
    asked = q.text
    if q.pointed is not None:  # 这一项归谁管: the item of the earlier answer names the task
        asked = f"{q.pointed.text}由哪个部门牵头"
    ledger = ctx.ledger_of()
    found = [f for f in find_owner(asked, ledger, owners_for(ledger)) if f.score > MIN_SCORE]
    if not found:
        return None
    best = found[0]
    others = [o for o in found[1:] if o.id != best.id][:2]
    groups = [Group(best.ref, [best.text])] + [Group(o.ref, [], quotes=[o.text]) for o in others]
    facts = {"lead": list(best.lead), "co": list(best.co), "basis": best.basis, "reason": best.reason,
             "others": [(o.text, list(o.lead), o.ref) for o in others]}
    return Evidence("ownership", groups, facts=facts)
