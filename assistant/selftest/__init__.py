"""A generated self-test over the whole plan (`plan-assistant eval --generated`): questions with known
answers made from the document tree, the targets table, the task ledger and the lists in sentences,
one generator module per kind of question. It measures how far the answering rules reach; it is not
a set to tune wording against. Nothing here knows this one plan: any document the parser reads gets
its own set, the same one for the same seed.

    figure          every target, three phrasings: the value and unit as the plan writes them
    premise_number  a wrong figure stated: corrected ("不是…") with the right one
    premise_right   the right figure stated: confirmed, not corrected
    premise_name    a wrong ordinal, place or quoted name in a task phrase: corrected, the real phrase quoted
    premise_name_right  the same task phrases as written: confirmed, not corrected
    english         a target asked in the glossary's English: the figure
    exists          a distinctive phrase of each section and 专栏 row: "有", that ref cited
    absent          a plausible subject the plan does not write: "计划没有提到…", not refused
    described       the same in several clauses: three words of one sentence, or an absent subject, with
                    the yes/no words apart ("…这些，计划里有没有这方面的安排？"): "有" and the ref, or absent
    ordinal         a list as an earlier answer in seven shapes, then "第N条展开说说": that item's ref and body
    multi           two or three targets in one message, some with a part the plan lacks
    cross           an everyday or English phrase: every place its plan terms stand, with a count line
    count           sections of a part, rows of a 专栏, lines of a row, items of a sentence's list

Each item: {"id", "kind", "question", "refs", "expect", "evidence", "history"?, …kind fields,
"source": "generated"}, the format of the hand-written sets in eval/, so `plan-assistant eval --set FILE
--only` reads a dump too (the "source" field routes it to these checks: count, multi, ordinal and cross
are also kinds of the hand-written sets, checked there as before).
"""

from __future__ import annotations

import random

from ..documents.parse import Document
from . import counts, described, existence, figures, multi, names, ordinal, places
from .judge import SOURCE  # marks an item as this set's: its kind (count, multi…) is judged by selftest.judge
from .plan import PlanView

SEED = 19
KINDS = ("figure", "premise_number", "premise_right", "premise_name", "premise_name_right", "english", "exists", "absent", "described",
         "ordinal", "multi", "cross", "count")
GENERATORS = (
    ("figure", figures.figure_items),
    ("premise", figures.premise_items),
    ("premise_name", names.premise_name_items),
    ("premise_name_right", names.premise_name_right_items),
    ("english", figures.english_items),
    ("exists", existence.exists_items),
    ("absent", existence.absent_items),
    ("described", described.described_items),
    ("ordinal", ordinal.ordinal_items),
    ("multi", multi.multi_items),
    ("cross", places.cross_items),
    ("count", counts.count_items),
)


def generate(doc: Document, seed: int = SEED) -> list[dict]:
    """The whole set, in the order of KINDS; each generator draws from its own seeded stream, so one
    generator's change leaves the others' items as they were."""
    view = PlanView(doc)
    items: list[dict] = []
    for name, make in GENERATORS:
        items += make(view, random.Random(f"{seed}:{name}"))
    items.sort(key=lambda it: KINDS.index(it["kind"]))
    counters: dict[str, int] = {}
    for it in items:
        counters[it["kind"]] = counters.get(it["kind"], 0) + 1
        it["id"] = f"{it['kind']}-{counters[it['kind']]:04d}"
    return [{"id": it.pop("id"), **it, "source": SOURCE} for it in items]


__all__ = ["KINDS", "SEED", "generate"]
