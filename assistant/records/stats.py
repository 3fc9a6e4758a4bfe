"""What the admin view shows, computed from the log: questions per day, refusal rate, LLM fallback
rate, p50/p95 latency, the most asked questions, the refused ones and the 👎 answers with their reason.
Every function takes the same filters as `log.log_rows` (since, until, user).
"""

from __future__ import annotations

import math
from collections import Counter

from sqlalchemy import text

from .db import Records
from .log import log_rows, where_clause

MOST_ASKED = 20


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (q in 0..100) of `values`; None for no values.

    >>> percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 95), percentile([], 50)
    (20, 40, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def per_day(records: Records, since=None, until=None, user=None) -> list[dict]:
    """[{"day": "2026-03-01", "questions": 12, "refused": 2}] in day order."""
    where, params = where_clause(since, until, user)
    if not records.readable:
        return []
    with records.transaction() as conn:
        rows = conn.execute(text("SELECT substr(a.time, 1, 10) AS day, count(*) AS n, sum(a.refused) AS refused"
                                 f" FROM answers a{where} GROUP BY day ORDER BY day"), params).all()
    return [{"day": r.day, "questions": r.n, "refused": r.refused} for r in rows]


def normalized(question: str) -> str:
    """How questions are counted as the same in 最常问: spaces and the end punctuation do not count.

    >>> normalized(" 粮食产量目标是多少？ ") == normalized("粮食产量目标是多少?")
    True
    """
    return "".join(question.split()).rstrip("？?。.!！")


def summary(records: Records, since=None, until=None, user=None) -> dict:
    """The admin view's figures for the filtered rows.

    fallback_rate is over the answers LLM mode was asked to write (llm + fallback); None when none was.
    Latencies are in milliseconds."""
    rows = log_rows(records, since=since, until=until, user=user)
    n = len(rows)
    llm_tried = [r for r in rows if r["mode"] in ("llm", "fallback")]
    latencies = [r["latency_ms"] for r in rows]
    counts = Counter(normalized(r["question"]) for r in rows)
    first_text = {}
    for r in rows:
        first_text.setdefault(normalized(r["question"]), r["question"])
    return {
        "questions": n,
        "refused": sum(r["refused"] for r in rows),
        "refusal_rate": sum(r["refused"] for r in rows) / n if n else None,
        "llm_answers": len(llm_tried),
        "fallbacks": sum(r["mode"] == "fallback" for r in rows),
        "fallback_rate": sum(r["mode"] == "fallback" for r in llm_tried) / len(llm_tried) if llm_tried else None,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "up": sum(r["vote"] == "up" for r in rows),
        "down": sum(r["vote"] == "down" for r in rows),
        "most_asked": [{"question": first_text[k], "count": c} for k, c in counts.most_common(MOST_ASKED)],
        "per_day": per_day(records, since, until, user),
    }


def refused_rows(records: Records, since=None, until=None, user=None) -> list[dict]:
    return log_rows(records, since=since, until=until, user=user, refused=True)


def down_rows(records: Records, since=None, until=None, user=None) -> list[dict]:
    """The 👎 answers with their reason, comment, answer text and cited refs."""
    return log_rows(records, since=since, until=until, user=user, vote="down")


def users(records: Records) -> list[str]:
    """The user names in the log (for the admin view's filter)."""
    if not records.readable:
        return []
    with records.transaction() as conn:
        return list(conn.execute(text('SELECT DISTINCT "user" FROM answers WHERE "user" IS NOT NULL ORDER BY "user"'))
                    .scalars())
