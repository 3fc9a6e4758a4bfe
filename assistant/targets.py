"""Every quantitative target in the plan: a number with its unit, what it measures and how binding
it is, found by general rules over the document tree (no list of this plan's sentences).

A clause (text cut at ，；：。 and line ends, an item number such as "1." dropped) is scanned for
quantities: digits followed by a unit from a fixed vocabulary, optionally with a magnitude
prefix (万/亿/万亿…), e.g. "12.5亿吨", "3000万千瓦", "25微克/立方米", "93%". A bare number counts
only after a verb of attainment and at the end of a clause ("系数达到0.593。"). Not targets:

- years, months, dates, "80年", "第四届": 年/月/日/届 are not units;
- "12345政务服务…", "“1571”工作部署", "5·18", "PM2.5": no unit, or glued to letters or "·";
- a class modifier: a voltage ("500千伏"), a quantity glued to a count before it ("20个500千伏
  输变电工程" — the target is "20个"), or one that qualifies the noun of a later quantity
  ("生产能力5000万株以上现代设施集约化育苗中心4个" — the target is "4个").

The indicator is the text from the clause start (or the previous quantity) up to the number, with
generic lead verbs (完成、开展、力争…) and link verbs (达到、稳定在…) trimmed: "粮食产量超过840亿斤" ->
"粮食产量", "地区生产总值增长5%左右" -> "地区生产总值增长". A count placed before its noun takes the noun
after it: "新建20个500千伏输变电工程" -> "500千伏输变电工程".

kind (a tuple, in the order of KINDS):
    预期  the target sits in the 主要预期目标 paragraph (a node whose title contains 预期目标);
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

from .parse import Document, Node

KINDS = ("预期", "约束", "力争", "超过", "以上", "左右", "以下")

# longest first, so "千瓦时" wins over "千瓦" and "人次" over "人"
_BASE_UNITS = sorted(
    "微克/立方米 个百分点 百分点 千瓦时 立方米 平方米 平方公里 人次 千瓦 千伏 公里 千米 公顷 千克 公斤 美元 "
    "元 亩 吨 斤 人 户 个 座 条 家 部 张 头 只 株 项 所 处 辆 台 套 间 批 名 倍 % ％".split(),
    key=len,
    reverse=True,
)
_CLASS_UNITS = ("千伏", "伏")  # a voltage names a class of line or substation, never an amount
_QUAL = r"以上|左右|以下|以内"
_QTY = re.compile(
    r"(?<![\d.,A-Za-z第·])(?P<value>\d+(?:,\d{3})*(?:\.\d+)?)(?![\d.·])\s?"
    r"(?P<unit>(?:万亿|亿|万|千|百)?(?:" + "|".join(map(re.escape, _BASE_UNITS)) + r")"
    r"|(?:万亿|亿|万)(?=(?:" + _QUAL + r")?$))?"
    r"(?P<qual>" + _QUAL + r")?"
)
_BARE_AFTER = ("达到", "为", "稳定在", "保持在", "提高到", "提升到", "降至", "降低到", "控制在")
_CLAUSE_END = "，；：。\n"
_ORDINAL = re.compile(r"\d+[.．、](?=\D)")
_SEPARATORS = "、和及与"
_LEAD_VERBS = tuple(
    "力争 争取 确保 完成 实现 开展 实施 推动 推进 建成 建设 发放 投入 坚决 全力 累计 重点".split()
)
_LINK_VERBS = sorted(
    "达到 稳定在 保持在 控制在 超过 不超过 突破 分别 为 提高到 提升到 增加到 降低到 降至 低于 不高于 在 到 达".split(),
    key=len,
    reverse=True,
)
_CAP_VERBS = ("不超过", "控制在", "低于", "不高于")


@dataclass(frozen=True)
class Target:
    id: str  # "<ref>#<n>", n counting the targets of that ref from 1
    ref: str
    part: str | None
    indicator: str
    value: str  # as written: "12.5", "0.593", "1500"
    unit: str  # as written: "亿吨", "%", "微克/立方米"; "" for a bare coefficient
    kind: tuple[str, ...]
    text: str  # the clause, a verbatim substring of the ref's text
    offset: int  # where `value` starts in the ref's text

    @property
    def amount(self) -> str:
        return self.value + self.unit

    @property
    def kind_text(self) -> str:
        return "、".join(self.kind)


def clause_span(text: str, pos: int) -> tuple[int, int]:
    """The clause around `pos`, item number dropped: in "1.防沙治沙1500万亩。" any pos inside gives the
    span of "防沙治沙1500万亩"."""
    start = max(text.rfind(c, 0, pos) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, pos) for c in _CLAUSE_END) if i >= 0]
    m = _ORDINAL.match(text, start)
    return (m.end() if m else start), min(ends, default=len(text))


def _clauses(text: str):
    pos = 0
    while pos < len(text):
        start, end = clause_span(text, pos)
        if end > start:
            yield start, end
        pos = end + 1


def _trim(indicator: str) -> str:
    """One generic lead verb off the front, link verbs off the end: "完成建设投资" -> "建设投资",
    "育肥牛、育肥羊出栏数分别达到" -> "育肥牛、育肥羊出栏数"."""
    lead = next((v for v in _LEAD_VERBS if indicator.startswith(v) and len(indicator) > len(v)), "")
    indicator = indicator[len(lead) :]
    while tail := next((v for v in _LINK_VERBS if indicator.endswith(v) and len(indicator) > len(v)), ""):
        indicator = indicator[: -len(tail)]
    return indicator.strip(_SEPARATORS)


def _sentence_before(text: str, pos: int) -> str:
    return text[max(text.rfind(c, 0, pos) for c in "。；\n") + 1 : pos]


def _kinds(node: Node, text: str, m: re.Match) -> tuple[str, ...]:
    before, qual = _sentence_before(text, m.start()), m.group("qual") or ""
    found = set()
    if "预期目标" in node.title:
        found.add("预期")
    if qual in ("以下", "以内") or before.endswith(_CAP_VERBS) or "确保" in before:
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


def _quantities(text: str, start: int, end: int) -> list[re.Match]:
    """Quantities in text[start:end] that state an amount (bare numbers only after a verb)."""
    found = []
    for m in _QTY.finditer(text[:end], start):
        if m.group("unit") or (text[start : m.start()].endswith(_BARE_AFTER) and m.end() == end):
            found.append(m)
    return found


def _is_modifier(text: str, m: re.Match, prev: re.Match | None, later: re.Match | None) -> bool:
    if (m.group("unit") or "").endswith(_CLASS_UNITS) or (prev and prev.end() == m.start()):
        return True
    between = text[m.end() : later.start()] if later else ""
    return bool(later and between and not any(c in _SEPARATORS for c in between))


def _clause_quantities(text: str, start: int, end: int) -> list[tuple[re.Match, bool]]:
    """(quantity, is a modifier) for the quantities of one clause, in reading order."""
    qs = _quantities(text, start, end)
    return [(m, _is_modifier(text, m, qs[i - 1] if i else None, qs[i + 1] if i + 1 < len(qs) else None))
            for i, m in enumerate(qs)]


def stated_quantities(text: str) -> list[re.Match]:
    """The quantities of `text` that state an amount, modifiers left out: the targets of a task clause.

    >>> [m.group() for m in stated_quantities("新建20个500千伏输变电工程，系数达到0.593")]
    ['20个', '0.593']
    """
    return [m for start, end in _clauses(text) for m, mod in _clause_quantities(text, start, end) if not mod]


def _targets_of(node: Node) -> list[Target]:
    text, out = node.text, []
    for start, end in _clauses(text):
        found = _clause_quantities(text, start, end)
        stated = [m for m, mod in found if not mod]
        prev_end, prev_indicator = start, ""
        for m, mod in found:
            if mod:  # the modifier belongs to the noun of the next quantity
                prev_end = m.end()
                continue
            later = next((q for q in stated if q.start() > m.start()), None)
            after = re.split(f"[{_SEPARATORS}]", text[m.end() : later.start() if later else end], maxsplit=1)[
                0
            ]
            if after and text[m.end()] not in _SEPARATORS:  # a count before its noun: "7个国家物流枢纽"
                indicator = after
            else:
                lead = prev_end
                while lead < m.start() and text[lead] in _SEPARATORS:
                    lead += 1
                indicator = _trim(text[lead : m.start()]) or prev_indicator
            prev_end, prev_indicator = m.end(), indicator
            out.append(
                Target(
                    f"{node.ref}#{len(out) + 1}",
                    node.ref,
                    node.part,
                    indicator,
                    m.group("value"),
                    m.group("unit") or "",
                    _kinds(node, text, m),
                    text[start:end],
                    m.start(),
                )
            )
    return out


def extract_targets(doc: Document) -> list[Target]:
    """All targets in reading order.

    >>> from assistant.parse import load
    >>> t = next(t for t in extract_targets(load()) if t.indicator == "煤炭产量")
    >>> (t.ref, t.value, t.unit, t.kind)
    ('四(一)', '12.5', '亿吨', ('以上',))
    """
    return [t for node in doc.walk() if node.kind != "header" and node.text for t in _targets_of(node)]


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
