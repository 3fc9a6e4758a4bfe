"""The question, read once: cleaned text, kind, refs it names, figures it states, the item of the
previous answer it points to. Handlers read a `Query`; none of them parses the question again.

    >>> numbered_refs("第七部分讲了哪些内容？"), numbered_refs("专栏一和四（三）"), numbered_refs("第七届会议")
    (['七'], ['四(三)', '专栏1'], [])
    >>> stated_figures("粮食产量目标是900亿斤吧？"), stated_figures("2026年新建5G基站1.2万个，对吗")
    (['900亿斤'], ['1.2万个'])
    >>> stated_figures("听说要新建30个500千伏输变电工程"), stated_figures("What does Part 13 cover?")
    (['30个', '500千伏'], [])
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from ..documents.refs import NUMERALS, chinese_numeral, numeral_value
from ..intent import is_chinese, question_kind
from .items import Item, previous_items
from .topics import part_by_scope_word, topical_scope
from .words import pattern, words

_NUM = r"[一二三四五六七八九十]{1,3}|\d{1,2}"  # one kind of numeral at a time
_PART = re.compile(rf"第({_NUM})(?:部分|章|大部分|篇|个部分)")
_SECTION = re.compile(r"([一二三四五六七八九十]{1,3})[(（]([一二三四五六七八九十]{1,2})[)）]")
_PART_SECTION = re.compile(rf"第({_NUM})部分(?:的|中的|里的)?第({_NUM})(?:节|项|条|小节|方面|个方面)")
_COLUMN = re.compile(r"专栏\s*(\d{1,2}|[一二三四五六七八九十]{1,2})")
_LAST = re.compile(r"最后一(?:部分|章)")
_ENGLISH_PART = re.compile(r"\bpart\s+(\d{1,2})\b", re.I)
_ENGLISH_COLUMN = re.compile(r"\b(?:column|box|panel)\s+(\d)\b", re.I)
def _figure_pattern() -> re.Pattern:
    units = sorted(words("units"), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, units))
    return re.compile(rf"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*((?:{alternatives})|[万亿千百]+(?:{alternatives})?|)")


FIGURE = _figure_pattern()
ORDINAL = re.compile(r"第([一二三四五六七八九十两]|\d{1,2})(?:点|项|条|个|部分|类|方面)")
ENGLISH_ORDINAL = re.compile(r"\b(?:the (first|second|third|fourth|fifth|sixth) (?:one|item|point)|(?:item|point|number) (\d))\b", re.I)
_ENGLISH_NUMBERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
LAST_ITEM = re.compile(r"最后(?:一|那一?|这一?)?[点项条个]")


def _value(numeral: str) -> int:
    """0 for what is not a numeral the plan uses (the ref then names nothing)."""
    if numeral.isdigit():
        return int(numeral)
    try:
        return 2 if numeral == "两" else numeral_value(numeral)
    except ValueError:
        return 0


def numbered_refs(text: str, last_part: str = "十四") -> list[str]:
    """Refs a question names by number: 第七部分 -> 七, 四（三）-> 四(三), 专栏一 -> 专栏1. Never a
    numeral inside other words (第七届, 十四五)."""
    found = []
    for a, b in _PART_SECTION.findall(text):
        found.append(f"{chinese_numeral(_value(a))}({chinese_numeral(_value(b))})")
    for a, b in _SECTION.findall(text):
        found.append(f"{a}({b})")
    if not found:
        found += [chinese_numeral(_value(m)) for m in _PART.findall(text)]
    found += [chinese_numeral(int(m)) for m in _ENGLISH_PART.findall(text) if 0 < int(m) <= 30]
    found += [f"专栏{_value(m)}" for m in _COLUMN.findall(text) + _ENGLISH_COLUMN.findall(text)]
    if _LAST.search(text):
        found.append(last_part)
    return list(dict.fromkeys(found))


_REF_BEFORE = re.compile(r"(?:专栏|第|part|column|box)\s*$", re.I)


def stated_figures(text: str) -> list[str]:
    """Figures a question states itself (not years, not refs such as 专栏1 or Part 13, not "几")."""
    out = []
    for m in FIGURE.finditer(text):
        unit = m.group(2)
        year = unit == "年" and re.fullmatch(r"(?:19|20)\d\d", m.group(1))
        bare = not unit and "." not in m.group(1)  # a coefficient (0.6) is a figure without a unit
        named = m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()
        if bare or year or named or _REF_BEFORE.search(text[:m.start()]):
            continue  # a bare number ("Part 13", "出5道"), a year or a name's number (PM2.5) is no figure stated
        out.append(m.group(1) + unit)
    return out


def pointed_item(text: str, items: list[Item]) -> Item | None:
    """第二点 / 上面第三个 / 最后一项 / 这一项 (the only item): resolved against the earlier answer."""
    if not items or not pattern("pointer").search(text):
        return None
    m = ORDINAL.search(text) if "倒数" not in text else None
    english = ENGLISH_ORDINAL.search(text)
    if m or english:
        n = _value(m.group(1)) if m else (_ENGLISH_NUMBERS.get((english.group(1) or "").lower())
                                          or int(english.group(2) or 0))
        return items[n - 1] if 1 <= n <= len(items) else None
    if LAST_ITEM.search(text) or re.search(r"\bthe last (?:one|item|point)\b", text, re.I):
        return items[-1]
    lead = re.match(r"\s*(\d{1,2})(?!\d)", text)  # ②具体怎么搞 (read as 2具体怎么搞)
    if lead and 1 <= int(lead.group(1)) <= len(items):
        return items[int(lead.group(1)) - 1]
    back = re.search(r"倒数第([一二三四五六七八九十两]|\d{1,2})", text)  # 倒数第二个
    if back and 1 <= _value(back.group(1)) <= len(items):
        return items[len(items) - _value(back.group(1))]
    if "中间" in text and len(items) % 2 == 1:  # 中间那个: the middle of an odd number of items
        return items[len(items) // 2]
    return items[0] if len(items) == 1 else None


_HALF = str.maketrans({",": "，", "?": "？", "!": "！", ";": "；", ":": "：", "(": "（", ")": "）"})


def chinese_punctuation(text: str) -> str:
    """The cleaned question has NFKC punctuation (？ -> ?); a Chinese question is read with the
    plan's full-width marks again, a comma between digits (1,200) kept.

    >>> chinese_punctuation("装机多少,消纳多少?1,200")
    '装机多少，消纳多少？1,200'
    """
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    return re.sub(r"(?<!\d),|,(?!\d{3})|[?!;:()]", lambda m: m.group().translate(_HALF), text)


@dataclass
class Query:
    text: str  # the question as asked, cleaned
    standalone: str  # a follow-up rewritten in the frame of its history (the text itself otherwise)
    retriever: object
    doc: object
    history: list[dict] = field(default_factory=list)
    k: int = 5

    def __post_init__(self):
        # retrieval and the refusal thresholds were calibrated on the NFKC form; the rules read Chinese marks
        self.search_text = unicodedata.normalize("NFKC", self.standalone)
        self.text, self.standalone = chinese_punctuation(self.text), chinese_punctuation(self.standalone)

    @cached_property
    def chinese(self) -> bool:
        return is_chinese(self.text)

    @cached_property
    def kind(self) -> str:
        return question_kind(self.standalone)

    @cached_property
    def named(self) -> list[str]:
        """Refs named by number or title, plan order kept as the question gives them."""
        last = self.doc.parts[-1].ref if self.doc.parts else ""
        numbered = [r for r in numbered_refs(self.text, last) if r in self.doc.by_ref]
        titled = [r for r in self.retriever.named_by_title(self.text) if r not in numbered]
        return numbered + titled

    @cached_property
    def topical(self) -> str | None:
        """A part, 专栏 or section named by its subject rather than its number: "科技创新那部分",
        "十大民生工程" (a part's lead paragraph names it), "对外开放这块"."""
        return topical_scope(self.text, self.doc)

    @cached_property
    def part_named(self) -> str | None:
        """A part (or its child) named by the words before 那部分/这块/方面, most of them in its title."""
        return part_by_scope_word(self.text, self.doc)

    @property
    def scope(self) -> str | None:
        return self.named[0] if self.named else self.topical

    @cached_property
    def figures(self) -> list[str]:
        return stated_figures(self.text)

    @cached_property
    def items(self) -> list[Item]:
        return previous_items(self.history, self.doc, self.retriever)

    @cached_property
    def pointed(self) -> Item | None:
        return pointed_item(self.text, self.items)

    @cached_property
    def scored(self):
        return self.retriever.score(self.search_text)

    @cached_property
    def hits(self) -> list:
        return self.retriever.search(self.search_text, k=self.k, scored=self.scored) if self.standalone else []

    def about(self, text: str) -> Query:
        """The same reading for another question (a part of a multi-part question, a pointed item)."""
        return Query(text, text, self.retriever, self.doc, [], self.k)


__all__ = ["Item", "Query", "numbered_refs", "stated_figures", "pointed_item", "NUMERALS"]
