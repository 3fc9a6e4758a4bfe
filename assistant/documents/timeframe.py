"""Which of a document's figures are this year's and which are last year's results.

A government work report first reviews last year ("预计地区生产总值增长6%左右", "2024年全省地区生产总值
增长5.8%") in words that read like targets, then states this year's targets in one paragraph ("主要预期
目标是：…") and the year's work. So: the nodes of the parts before the targets paragraph are the review,
and after it a sentence that speaks of a past year or of results (去年, 预计, 初步统计…) is no target
either. A plan that reviews nothing (the bundled one) loses nothing to these rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .headings import document_words
from .parse import Document, Node

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_BASE_YEAR = ("比", "较", "与", "同", "相比", "从", "由", "自", "于")  # 比2020年下降: a base, not a result
_SENTENCE_END = "。；！？\n"


@dataclass(frozen=True)
class TargetsParagraph:
    ref: str
    start: int  # offsets of the paragraph in the node's text
    end: int


def paragraph_span(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def targets_paragraph(doc: Document) -> TargetsParagraph | None:
    """The paragraph that states the year's main targets: the first that says so (主要预期目标是…, 预期目标
    为…) and goes on to a figure, outside a part titled as a review ("…工作回顾", where "主要预期目标
    全面完成" could be read)."""
    markers = document_words("targets_paragraph")
    for node in doc.walk():
        if node.kind in ("header", "column") or not node.text or _titled_review(doc, node):
            continue
        for m in re.finditer("|".join(map(re.escape, markers)), node.text):
            start, end = paragraph_span(node.text, m.start())
            if re.search(r"\d", node.text[m.end() : end]):
                return TargetsParagraph(node.ref, start, end)
    return None


def review_refs(doc: Document, year: int | None) -> set[str]:
    """Refs of the review of past years: every node of the parts before the targets paragraph; without
    a targets paragraph, the parts titled as a review (回顾) or with an earlier year ("2024年工作回顾")."""
    found = targets_paragraph(doc)
    refs: set[str] = set()
    if found is not None:
        for node in doc.walk():
            if node.ref == found.ref:
                return refs
            if node.part is not None:
                refs.add(node.ref)
        return refs
    for part in doc.parts:
        if _review_title(part.title, year):
            refs |= {n.ref for n in _subtree(part)}
    return refs


def _review_title(title: str, year: int | None) -> bool:
    """ "2024年工作回顾" is; "2024年工作回顾和2025年工作安排" is not (it holds this year too)."""
    years = [int(y) for y in _YEAR.findall(title)]
    this_year = (year and any(y >= year for y in years)) or any(w in title for w in ("安排", "今年", "目标", "任务"))
    return not this_year and ("回顾" in title or bool(year and years and max(years) < year))


def _titled_review(doc: Document, node: Node) -> bool:
    part = doc.by_ref.get(node.part) if node.part else None
    year = doc.meta.year if doc.meta else None
    return part is not None and _review_title(part.title, year)


def _subtree(node: Node):
    yield node
    for child in node.children:
        yield from _subtree(child)


def speaks_of_past(text: str, pos: int, year: int | None) -> bool:
    """Whether text[pos] reports a past result: the last time word before it in its sentence is one of
    results (去年, 上年, 一年来, 预计, 初步统计…) or an earlier year that is no base of comparison
    ("2024年地区生产总值增长5.8%", but not "比2020年下降13.5%"), not 今年 or this year.

    >>> speaks_of_past("2025年新增就业41万人，今年新增就业40万人。", 8, 2026), speaks_of_past("2025年新增就业41万人，今年新增就业40万人。", 20, 2026)
    (True, False)
    """
    start = max(text.rfind(c, 0, pos) for c in _SENTENCE_END) + 1
    before = text[start:pos]
    marks = [(before.rfind(w), True) for w in document_words("past_results")]
    marks += [(before.rfind(w), False) for w in document_words("this_year")]
    for m in _YEAR.finditer(before):
        if year and not before[: m.start()].endswith(_BASE_YEAR):
            marks.append((m.start(), int(m.group(1)) < year))
    at, past = max(marks, default=(-1, False))
    return at >= 0 and past
