"""Is an answer right for its generated question? One check per kind, on what the user reads (the
answer's text) and what it cites (the Answer's citations); None when right, else what is wrong.
The hand-written kinds keep the checks of `assistant.evaluate_answers.judge`."""

from __future__ import annotations

import re

from ..documents.refs import chinese_numeral
from ..evaluate_answers import CORRECTION, MISSING
from .plan import body_pieces

SOURCE = "generated"
CORRECTION_LEAD = 40  # a correction must come first, not after a quote that repeats the wrong premise
MIN_RECALL = 0.8  # a place list may miss one place in five
COUNT_LINE = re.compile(r"计划中有\s*(\d+)\s*处")
ABSENT_LEAD = "计划没有提到"


def cited(ans) -> list[str]:
    return [c.ref for c in ans.citations]


def _missing(item: dict, ans) -> str | None:
    lacking = [e for e in item["expect"] if e not in ans.text]
    return "missing " + ", ".join(lacking) if lacking else None


def _corrected(ans) -> bool:
    return bool(CORRECTION.search(ans.text[:CORRECTION_LEAD]))


def _figure(item, ans, doc):
    if problem := _missing(item, ans):
        return problem
    return None if set(cited(ans)) & set(item["refs"]) else f"cites none of {', '.join(item['refs'])}"


def _premise_number(item, ans, doc):
    return _missing(item, ans) or (None if _corrected(ans) else "wrong premise not corrected")


def _premise_right(item, ans, doc):
    return _missing(item, ans) or ("right premise called wrong" if _corrected(ans) else None)


def _premise_name(item, ans, doc):
    if not _corrected(ans):
        return "wrong premise not corrected"
    return _missing(item, ans)


def _exists(item, ans, doc):
    if not ans.text.lstrip().startswith("有"):
        return "no 有 lead"
    return None if item["refs"][0] in cited(ans) else f"does not cite {item['refs'][0]}"


def _absent(item, ans, doc):
    return None if ans.text.lstrip().startswith(ABSENT_LEAD) else f"no {ABSENT_LEAD} lead"


def _described(item, ans, doc):
    return _exists(item, ans, doc) if item["answer"] == "yes" else _absent(item, ans, doc)


def _ordinal(item, ans, doc):
    ref = item["refs"][0]
    if ref not in cited(ans):
        return f"does not cite {ref} (item {item['n']}: {item['item']})"
    said = "\n".join(t["content"] for t in item.get("history", []))
    body = [p for p in body_pieces(doc.by_ref[ref]) if p not in said]
    return None if any(p in ans.text for p in body) else f"quotes nothing of {ref} beyond its heading"


def _multi(item, ans, doc):
    if problem := _missing(item, ans):
        return problem
    if item.get("missing") and not MISSING.search(ans.text):
        return f"does not say {item['missing']} is missing"
    return None


def _cross(item, ans, doc):
    if not COUNT_LINE.search(ans.text):
        return "no count line"
    found = set(cited(ans)) & set(item["refs"])
    recall = len(found) / len(item["refs"])
    return None if recall >= MIN_RECALL else f"cites {len(found)} of {len(item['refs'])} places"


def states_count(text: str, n: int) -> bool:
    """"共5类", "有5个", "5节" or "共五类": the number as a count, not inside another figure (3.3亿, 500).

    >>> states_count("专栏1共5类：…", 5), states_count("第二部分有五节", 5), states_count("新建500个", 5)
    (True, True, False)
    """
    numerals = f"(?:{n}|{chinese_numeral(n)})" if 0 < n < 100 else str(n)
    return bool(re.search(rf"(?:共|有|一共|总共|分为|分成)\s*{numerals}(?![\d.])", text)
                or re.search(rf"(?<![\d.]){n}\s*(?:个|项|类|条|节|处|栏|部分|方面)", text))


def _count(item, ans, doc):
    return None if states_count(ans.text, item["count"]) else f"count {item['count']} not stated"


CHECKS = {"figure": _figure, "english": _figure, "premise_number": _premise_number, "premise_right": _premise_right,
          "premise_name_right": _premise_right,
          "premise_name": _premise_name, "exists": _exists, "absent": _absent,
          "described": _described, "ordinal": _ordinal, "multi": _multi,
          "cross": _cross, "count": _count}


def judge(item: dict, ans, doc) -> str | None:
    """None when the answer is right for its kind of question, else what is wrong with it. A hand-written
    item (no "source": "generated") gets the checks of `assistant.evaluate_answers.judge`."""
    if item.get("source") != SOURCE:
        from ..evaluate_answers import judge as judge_written

        return judge_written(item, ans, doc)
    if ans.refused:
        return "refused"
    return CHECKS[item["kind"]](item, ans, doc)
