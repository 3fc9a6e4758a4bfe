"""Quantities in a clause of text: a number with its unit from a fixed vocabulary, optionally with a
magnitude prefix (万/亿/万亿…), a range ("5.0%—5.5%") or a qualifier after it (以上/左右/以下/以内),
e.g. "12.5亿吨", "3000万千瓦", "25微克/立方米", "93%". Full-width digits and signs (５．５％) read as
their ASCII twins. A bare number counts only after a verb of attainment and at the end of a clause
("系数达到0.593。"). Not quantities: years, months, dates, "第四届" (年/月/日/届 are not units); "12345政务
服务…", "“1571”工作部署", "5·18", "PM2.5" (no unit, or glued to letters or "·").

A quantity is a modifier, not an amount, when it is a voltage ("500千伏"), glued to a count before it
("20个500千伏输变电工程" — the amount is "20个"), or qualifies the noun of a later quantity
("生产能力5000万株以上现代设施集约化育苗中心4个" — the amount is "4个").
"""

from __future__ import annotations

import re

from .amounts import ASCII

# longest first, so "千瓦时" wins over "千瓦" and "人次" over "人"
_BASE_UNITS = sorted(
    "微克/立方米 个百分点 百分点 千瓦时 立方米 平方米 平方公里 人次 千瓦 千伏 公里 千米 公顷 千克 公斤 美元 "
    "元 亩 吨 斤 人 户 个 座 条 家 部 张 头 只 株 项 所 处 辆 台 套 间 批 名 倍 % ％".split(),
    key=len,
    reverse=True,
)
_CLASS_UNITS = ("千伏", "伏")  # a voltage names a class of line or substation, never an amount
_QUAL = r"以上|左右|以下|以内"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_QTY = re.compile(
    r"(?<![\d.,A-Za-z第·])(?P<value>" + _NUM + r")(?![\d.·])\s?"
    r"(?:%?\s?[—–~～\-至]{1,2}\s?(?P<high>" + _NUM + r")(?![\d.·])\s?)?"  # a range: 5.0%—5.5%, 5—6%
    r"(?P<unit>(?:万亿|亿|万|千|百)?(?:" + "|".join(map(re.escape, _BASE_UNITS)) + r")"
    r"|(?:万亿|亿|万)(?=(?:" + _QUAL + r")?$))?"
    r"(?P<qual>" + _QUAL + r")?"
)
_BARE_AFTER = ("达到", "为", "稳定在", "保持在", "提高到", "提升到", "降至", "降低到", "控制在")
_CLAUSE_END = "，；：。\n"
_ORDINAL = re.compile(r"\d+[.．、](?=\D)")
SEPARATORS = "、和及与"
_LEAD_VERBS = tuple(
    "力争 争取 确保 完成 实现 开展 实施 推动 推进 建成 建设 发放 投入 坚决 全力 累计 重点".split()
)
_LINK_VERBS = sorted(
    "达到 稳定在 保持在 控制在 超过 不超过 突破 分别 为 提高到 提升到 增加到 降低到 降至 低于 不高于 不少于 不低于 在 到 达".split(),
    key=len,
    reverse=True,
)
CAP_VERBS = ("不超过", "控制在", "低于", "不高于")


def clause_span(text: str, pos: int) -> tuple[int, int]:
    """The clause around `pos`, item number dropped: in "1.防沙治沙1500万亩。" any pos inside gives the
    span of "防沙治沙1500万亩"."""
    start = max(text.rfind(c, 0, pos) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, pos) for c in _CLAUSE_END) if i >= 0]
    m = _ORDINAL.match(text, start)
    return (m.end() if m else start), min(ends, default=len(text))


def clauses(text: str):
    pos = 0
    while pos < len(text):
        start, end = clause_span(text, pos)
        if end > start:
            yield start, end
        pos = end + 1


def trim_indicator(indicator: str) -> str:
    """One generic lead verb off the front, link verbs off the end: "完成建设投资" -> "建设投资",
    "育肥牛、育肥羊出栏数分别达到" -> "育肥牛、育肥羊出栏数"."""
    lead = next((v for v in _LEAD_VERBS if indicator.startswith(v) and len(indicator) > len(v)), "")
    indicator = indicator[len(lead) :]
    while tail := next((v for v in _LINK_VERBS if indicator.endswith(v) and len(indicator) > len(v)), ""):
        indicator = indicator[: -len(tail)]
    return indicator.strip(SEPARATORS)


def _quantities(text: str, start: int, end: int) -> list[re.Match]:
    """Quantities in text[start:end] that state an amount (bare numbers only after a verb). The match is
    made on the text with full-width digits and signs as ASCII, one character for one, so its offsets
    are offsets into `text`."""
    found = []
    for m in _QTY.finditer(text[:end].translate(ASCII), start):
        if m.group("unit") or (text[start : m.start()].endswith(_BARE_AFTER) and m.end() == end):
            found.append(m)
    return found


def _is_modifier(text: str, m: re.Match, prev: re.Match | None, later: re.Match | None) -> bool:
    if (m.group("unit") or "").endswith(_CLASS_UNITS) or (prev and prev.end() == m.start()):
        return True
    between = text[m.end() : later.start()] if later else ""
    return bool(later and between and not any(c in SEPARATORS for c in between))


def clause_quantities(text: str, start: int, end: int) -> list[tuple[re.Match, bool]]:
    """(quantity, is a modifier) for the quantities of one clause, in reading order."""
    qs = _quantities(text, start, end)
    return [
        (m, _is_modifier(text, m, qs[i - 1] if i else None, qs[i + 1] if i + 1 < len(qs) else None))
        for i, m in enumerate(qs)
    ]


def stated_quantities(text: str) -> list[re.Match]:
    """The quantities of `text` that state an amount, modifiers left out: the targets of a task clause.

    >>> [m.group() for m in stated_quantities("新建20个500千伏输变电工程，系数达到0.593")]
    ['20个', '0.593']
    """
    return [m for start, end in clauses(text) for m, mod in clause_quantities(text, start, end) if not mod]
