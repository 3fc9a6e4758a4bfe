"""Every quantitative target of a document: a number with its unit, what it measures and how binding
it is, found by general rules over the document tree (no list of any document's sentences). The
quantities of each clause are found by quantities.py (units, ranges, modifiers).

The indicator is the text from the clause start (or the previous quantity) up to the number, with
generic lead verbs (完成、开展、力争…) and link verbs (达到、稳定在…) trimmed: "粮食产量超过840亿斤" ->
"粮食产量", "地区生产总值增长5%左右" -> "地区生产总值增长". A count placed before its noun takes the noun
after it: "新建20个500千伏输变电工程" -> "500千伏输变电工程". Its `key` lines it up with the same indicator
in other documents (indicators.py: 全省地区生产总值增长 -> 地区生产总值增长), and `amount_range` reads the
value as (low, high, qualifier, unit) (amounts.py).

Only this year's targets: in a report, the review of last year before the targets paragraph, and
later sentences about a past year or results (去年, 预计…), are left out (timeframe.py).

kind (a tuple, in the order of KINDS):
    预期  the target sits in the 主要预期目标 paragraph (a node whose title contains 预期目标, or the
          paragraph of a report that states the main targets);
    约束  a cap (以下/以内, 不超过/控制在/低于/不高于) or a floor the plan says it will ensure (确保);
    力争  力争/争取 earlier in the same sentence ("力争新增…3000万千瓦，总规模超过2亿千瓦" -> both);
    超过  "超过"/"突破" right before the number;  以上/左右/以下  the word right after the unit.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass

from .amounts import PREFIXES, Amount, parse_amount
from .indicators import indicator_key
from .parse import Document, Node
from .quantities import (
    CAP_VERBS,
    SEPARATORS,
    clause_quantities,
    clause_span,
    clauses,
    stated_quantities,
    trim_indicator,
)
from .timeframe import review_refs, speaks_of_past, targets_paragraph

__all__ = ["Target", "KINDS", "extract_targets", "clause_span", "stated_quantities", "dictionary_names",
           "scope_refs", "filter_targets", "targets_json", "targets_csv"]

KINDS = ("预期", "约束", "力争", "超过", "以上", "左右", "以下")


@dataclass(frozen=True)
class Target:
    id: str  # "<ref>#<n>", n counting the targets of that ref from 1
    ref: str
    part: str | None
    indicator: str
    value: str  # the number: "12.5", "0.593", "1500" (full-width digits as ASCII)
    unit: str  # "亿吨", "%", "微克/立方米"; "" for a bare coefficient
    kind: tuple[str, ...]
    text: str  # the clause, a verbatim substring of the ref's text
    offset: int  # where `value` starts in the ref's text
    written: str = ""  # the amount verbatim with its qualifiers: "5.0%—5.5%", "不少于26万人", "18万人以上"

    @property
    def amount(self) -> str:
        return self.value + self.unit

    @property
    def kind_text(self) -> str:
        return "、".join(self.kind)

    @property
    def key(self) -> str:
        """The indicator as compared across documents: 全省地区生产总值增长 -> 地区生产总值增长."""
        return indicator_key(self.indicator)

    @property
    def amount_range(self) -> Amount:
        """(low, high, qualifier, unit) of the value: "5.0%—5.5%" -> 5.0, 5.5, range, %."""
        return parse_amount(self.written) or Amount(float(self.value.replace(",", "")), None, "", self.unit)


def _sentence_before(text: str, pos: int) -> str:
    return text[max(text.rfind(c, 0, pos) for c in "。；\n") + 1 : pos]


def _kinds(node: Node, text: str, m: re.Match, stated_as_target: bool) -> tuple[str, ...]:
    before, qual = _sentence_before(text, m.start()), m.group("qual") or ""
    found = set()
    if "预期目标" in node.title or stated_as_target:
        found.add("预期")
    if qual in ("以下", "以内") or before.endswith(CAP_VERBS) or "确保" in before:
        found.add("约束")
    if "力争" in before or "争取" in before:
        found.add("力争")
    if before.endswith(("超过", "突破")) and not before.endswith("不超过"):
        found.add("超过")
    if qual in ("以上", "左右"):
        found.add(qual)
    if qual in ("以下", "以内") or before.endswith(("不超过", "低于", "不高于")):
        found.add("以下")
    return tuple(k for k in KINDS if k in found)


def _written(text: str, m: re.Match) -> str:
    prefix = next((p for p in PREFIXES if text.endswith(p, 0, m.start())), "")
    return prefix + text[m.start() : m.end()]


def _targets_of(node: Node, year: int | None = None, stated: tuple[int, int] | None = None) -> list[Target]:
    """The targets of one node; `stated` is the span of the paragraph that states the main targets, when
    it lies in this node."""
    text, out = node.text, []
    for start, end in clauses(text):
        found = clause_quantities(text, start, end)
        amounts = [m for m, mod in found if not mod]
        prev_end, prev_indicator = start, ""
        for m, mod in found:
            if mod:  # the modifier belongs to the noun of the next quantity
                prev_end = m.end()
                continue
            later = next((q for q in amounts if q.start() > m.start()), None)
            after = re.split(f"[{SEPARATORS}]", text[m.end() : later.start() if later else end], maxsplit=1)[0]
            if after and text[m.end()] not in SEPARATORS:  # a count before its noun: "7个国家物流枢纽"
                indicator = after
            else:
                lead = prev_end
                while lead < m.start() and text[lead] in SEPARATORS:
                    lead += 1
                indicator = trim_indicator(text[lead : m.start()]) or prev_indicator
            prev_end, prev_indicator = m.end(), indicator
            in_stated = stated is not None and stated[0] <= m.start() < stated[1]
            if not in_stated and speaks_of_past(text, m.start(), year):
                continue
            out.append(
                Target(
                    f"{node.ref}#{len(out) + 1}",
                    node.ref,
                    node.part,
                    indicator,
                    m.group("value"),
                    m.group("unit") or "",
                    _kinds(node, text, m, in_stated),
                    text[start:end],
                    m.start(),
                    _written(text, m),
                )
            )
    return out


def extract_targets(doc: Document) -> list[Target]:
    """All of this year's targets in reading order.

    >>> from assistant.documents.parse import load
    >>> t = next(t for t in extract_targets(load()) if t.indicator == "煤炭产量")
    >>> (t.ref, t.value, t.unit, t.kind)
    ('四(一)', '12.5', '亿吨', ('以上',))
    """
    year = doc.meta.year if doc.meta else None
    review = review_refs(doc, year)
    found = targets_paragraph(doc)
    out = []
    for node in doc.walk():
        if node.kind in ("header", "appendix") or not node.text or node.ref in review:
            continue
        stated = (found.start, found.end) if found and found.ref == node.ref else None
        out += _targets_of(node, year, stated)
    return out


def dictionary_names(doc: Document) -> list[str]:
    """Names jieba should keep whole: 专栏 row labels and short indicator names (奶产量, 煤炭产量), so
    that 奶产量 is one rare word and not 奶 + the 产量 of every output target. Names ending in a verb
    of change (地区生产总值增长) are left out: the plan also uses their stem alone."""
    labels = [n.title for n in doc.walk() if n.kind == "row"]
    names = {t.indicator for t in extract_targets(doc)}
    return labels + sorted(n for n in names if re.fullmatch(r"[\u4e00-\u9fff]{3,6}", n) and not n.endswith(("增长", "涨幅")))


def scope_refs(doc: Document, chapter: str) -> set[str]:
    """The refs under `chapter` (itself and its descendants; a part's columns are its children).
    Raises UnknownRef for a ref that names nothing."""
    node = doc.get(chapter)
    stack, refs = [node], set()
    while stack:
        n = stack.pop()
        refs.add(n.ref)
        stack.extend(n.children)
    return refs


def filter_targets(doc: Document, targets: list[Target], chapter: str | None) -> list[Target]:
    if not chapter:
        return list(targets)
    refs = scope_refs(doc, chapter)
    return [t for t in targets if t.ref in refs]


FIELDS = ("id", "ref", "part", "indicator", "value", "unit", "kind", "text")


def _row(t: Target) -> dict:
    row = {k: v for k, v in asdict(t).items() if k in FIELDS}
    row["kind"] = list(t.kind)
    return row


def targets_json(targets: list[Target]) -> str:
    return json.dumps([_row(t) for t in targets], ensure_ascii=False, indent=2)


def targets_csv(targets: list[Target]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FIELDS)
    for t in targets:
        writer.writerow([t.kind_text if f == "kind" else (getattr(t, f) or "") for f in FIELDS])
    return buf.getvalue()
