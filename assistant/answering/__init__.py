"""Answering: plan the evidence, then write it.

    question (+history) -> Query -> handlers, in order, each returns an Evidence plan or None
                        -> writer: extractive composer | LLM (same Evidence, same validation) -> Answer

Adding a kind of question is adding a handler module to HANDLERS; no handler calls another. The
composite handlers (premise, multi, ordinal) answer their parts through `Context.plan_part`, which
runs the topical handlers (gates, figure, measures) on the part alone.
"""

from __future__ import annotations

from . import (
    claim,
    compare,
    count,
    cross,
    figure,
    gates,
    measures,
    more,
    multi,
    notice,
    ordinal,
    overview,
    ownership,
    premise,
    quiz_request,
    yesno,
)
from .compose import write
from .context import Context
from .evidence import Evidence, refusal
from .query import Query

# order matters: facts of the notice and named tasks first, then requests that are not questions about
# the text (a quiz), then the hard gates, then what the tree answers, then what retrieval answers
HANDLERS = (notice.plan, ownership.plan, quiz_request.plan, compare.plan, gates.hard_gate, ordinal.plan, more.plan, count.plan,
            overview.plan, yesno.plan, claim.plan, premise.plan, cross.plan, multi.plan, gates.scope_gate, gates.subject_gate, figure.plan,
            measures.plan)
PART_HANDLERS = (gates.hard_gate, gates.scope_gate, gates.subject_gate, figure.plan, measures.plan)
# evidence an LLM may write (computed facts, quizzes, notice and ownership answers stay as composed)
LLM_KINDS = frozenset({"figure", "qualitative", "measures", "overview", "cross", "multi", "premise", "ordinal"})


def run(handlers, q: Query, ctx: Context) -> Evidence:
    for handler in handlers:
        ev = handler(q, ctx)
        if ev is not None:
            if not ev.hits and ev.kind not in ("notice", "ownership", "quiz", "count", "overview"):
                ev.hits = q.hits
            return ev
    return refusal("not_found", q.hits)


def plan_evidence(q: Query, ctx: Context) -> Evidence:
    if not q.text:
        return refusal("empty")
    return run(HANDLERS, q, ctx)


__all__ = ["Context", "Evidence", "Query", "plan_evidence", "write", "LLM_KINDS"]
