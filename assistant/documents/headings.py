"""What a paragraph is, read off its own text: the heading conventions of Chinese plans and government
work reports, not of any one file.

    >>> part_heading("一、2024年工作回顾", 1), part_heading("三、2025年重点工作", 2)
    ('2024年工作回顾', None)
    >>> section_heading("（二）深入落实城市总体规划，纵深推动京津冀协同发展")
    ('二', '深入落实城市总体规划，纵深推动京津冀协同发展')
    >>> list_heading("一是聚焦全方位扩大内需，着力提消费促投资"), list_heading("一是针对性出台举措。认真落实政策。")
    (('一', '聚焦全方位扩大内需，着力提消费促投资'), None)
    >>> title_like("2025年工作安排建议"), title_like("重点做好9个方面工作："), title_like("来源：江西日报")
    (True, False, False)
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from .refs import chinese_numeral

NUMERAL = "[一二三四五六七八九十]{1,3}"
_PART = re.compile(rf"^({NUMERAL})、(.+)$")
_SECTION = re.compile(rf"^（({NUMERAL})）(.*)$")
_LIST = re.compile(rf"^({NUMERAL})是(.+)$")
COLUMN = re.compile(r"^专栏\s*(\d+)\s*(.*)$")
NUMBERED_NOTE = re.compile(r"^\d+[.．、]\D")
_END_PUNCT = tuple("。！？；：，、…!?;:,")
_CLOSERS = "”’」』）)》"
MAX_PART_TITLE = 50  # a part title is a line, never a paragraph
MAX_BARE_TITLE = 30  # a title with no numeral must look like one: short


def ends_sentence(s: str) -> bool:
    return s.rstrip().rstrip(_CLOSERS).endswith(_END_PUNCT)


def part_heading(line: str, expected: int | None = None) -> str | None:
    """The title of a numbered part heading ("一、…"), or None. With `expected`, only the part of that
    number: numbering is what tells a part from an item that happens to start with "一、"."""
    m = _PART.match(line)
    if not m or len(line) > MAX_PART_TITLE or "。" in line:
        return None
    if expected is not None and m.group(1) != chinese_numeral(expected):
        return None
    return m.group(2)


def section_heading(line: str) -> tuple[str, str] | None:
    """(numeral, title) of "（一）title。body…" or "（一）title"; the title ends at the first 。 or ；."""
    m = _SECTION.match(line)
    if not m:
        return None
    return m.group(1), re.split(r"[。；]", m.group(2), maxsplit=1)[0]


def list_heading(line: str) -> tuple[str, str] | None:
    """(numeral, title) of a standalone "一是…" heading paragraph; None for a body paragraph that merely
    opens with 一是 (it has sentences)."""
    m = _LIST.match(line)
    if not m or not title_like(line, MAX_PART_TITLE):
        return None
    return m.group(1), m.group(2)


def title_like(line: str, max_len: int = MAX_BARE_TITLE) -> bool:
    """A short line with no sentence punctuation: a title, or a heading that has no numeral."""
    s = line.strip()
    return (
        2 <= len(s) <= max_len
        and not ends_sentence(s)
        and not any(c in s for c in "。！？；：:")
        and not s.startswith(("—", "－", "-", "（", "(", "【", "[", "注"))
        and not NUMBERED_NOTE.match(s)
    )


@cache
def _words() -> dict:
    import json

    return json.loads(files("assistant.data").joinpath("document_words.json").read_text("utf-8"))


def document_words(name: str):
    """An entry of assistant/data/document_words.json (a word list, or lists by name): the genre's fixed
    words (appendix titles, the wording of a targets paragraph, kinds of document), kept as data."""
    return _words()[name]


def appendix_title(line: str, following: list[str]) -> bool:
    """An appendix after the body: a title of the genre's appendices (名词解释, 附件…), or a bare title
    followed only by numbered notes ("1.六大优势产业：…")."""
    s = line.strip()
    if not title_like(s, 12):
        return False
    if s.rstrip("：:") in document_words("appendix_titles"):
        return True
    rest = [f for f in following if f.strip()]
    return len(rest) >= 3 and all(NUMBERED_NOTE.match(f.strip()) for f in rest)
