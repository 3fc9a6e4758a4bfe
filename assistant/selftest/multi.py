"""Several targets asked in one message, the later parts elliptical ("A目标是多少？B呢？还有C？"), some
with one part the plan has no figure for (a bundled list of plausible indicators, each checked absent):
every present figure in the answer, and the missing part said to be missing."""

from __future__ import annotations

import random

from .plan import PlanView, data_lines

PAIRS = ("{0}目标是多少？{1}呢？", "{0}是多少？还有{1}？", "{0}目标是多少，以及{1}？", "{0}是多少？另外{1}呢？")
TRIPLES = ("{0}目标是多少？{1}呢？还有{2}？", "{0}是多少？另外{1}呢？以及{2}？", "{0}目标是多少？还有{1}，{2}呢？")
N_PAIRS = 160
N_TRIPLES = 160
SHARE_WITH_ABSENT = 1 / 3
ABSENT_INDICATORS = "absent_indicators.txt"


def absent_indicators(view: PlanView) -> list[str]:
    return [s for s in data_lines(ABSENT_INDICATORS) if view.absent(s)]


def multi_items(view: PlanView, rng: random.Random) -> list[dict]:
    # one target per label and per clause, so that no two parts ask for one clause's figures
    pool, clauses = [], set()
    for t, label in view.labelled:
        if t.text not in clauses:
            clauses.add(t.text)
            pool.append((t, label))
    missing_pool = absent_indicators(view)
    items = []
    for size, templates, n in ((2, PAIRS, N_PAIRS), (3, TRIPLES, N_TRIPLES)):
        for i in range(n):
            parts = rng.sample(pool, size)
            names = [label for _, label in parts]
            absent = None
            if missing_pool and rng.random() < SHARE_WITH_ABSENT:
                at = rng.randrange(1, size)  # the first part carries the question the others lean on
                absent = rng.choice(missing_pool)
                names[at], parts = absent, [p for k, p in enumerate(parts) if k != at]
            question = templates[i % len(templates)].format(*names)
            refs = list(dict.fromkeys(t.ref for t, _ in parts))
            item = {"kind": "multi", "question": question, "refs": refs,
                    "expect": [view.amount(t) for t, _ in parts], "evidence": parts[0][0].text,
                    "targets": [t.id for t, _ in parts]}
            if absent:
                item["missing"] = absent
            items.append(item)
    return items
