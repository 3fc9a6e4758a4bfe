"""Figures near a target's value, rounded like it: the distractors and alterations of a question."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from ..documents.targets import Target

_FACTORS = (0.5, 2, 0.8, 1.2, 1.5, 0.9, 1.1, 0.75, 1.25, 3, 4, 0.25, 10)


def round_like(original: str, x: float) -> str:
    """`x` rounded the way `original` is written: round_like("1500", 1350) -> "1400",
    round_like("0.593", 0.6523) -> "0.652", round_like("12.5", 25) -> "25.0"."""
    d = Decimal(original.replace(",", ""))
    exp = d.as_tuple().exponent
    if exp < 0:
        return str(Decimal(str(x)).quantize(Decimal(1).scaleb(exp), ROUND_HALF_UP))
    digits = str(int(d))
    step = Decimal(10) ** min(len(digits) - len(digits.rstrip("0")), len(digits) - 1)
    return str(int((Decimal(str(x)) / step).quantize(Decimal(1), ROUND_HALF_UP) * step))


def nearby_values(t: Target, rng: random.Random, plan_values: list[str], k: int = 3) -> list[str]:
    """`k` values for distractors or alterations, never equal to t.value: at most one value the plan
    states in the same unit, the rest t.value scaled and rounded like it; percentages stay ≤ 100."""
    answer = Decimal(t.value.replace(",", ""))
    factors = list(_FACTORS[:8])
    rng.shuffle(factors)
    plan = sorted(set(plan_values))
    rng.shuffle(plan)
    out: list[str] = []
    for v in plan[:1] + [round_like(t.value, float(answer) * f) for f in factors + list(_FACTORS[8:])]:
        num = Decimal(v.replace(",", ""))
        if num <= 0 or num == answer or (t.unit in ("%", "％") and num > 100):
            continue
        if all(Decimal(o) != num for o in out):
            out.append(v)
        if len(out) == k:
            break
    return out
