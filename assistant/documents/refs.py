"""Paragraph references: short, stable, human-readable names for parts of the plan.

    四              a part (its lead paragraph when used as a chunk ref)
    四(三)          a section of a part
    专栏2           a column (专栏)
    专栏2·新能源开发利用   one row of a column
    文头 / 总体要求 / 主要预期目标   the notice header and the opening paragraphs
"""

from __future__ import annotations

import difflib
import re

NUMERALS = "一二三四五六七八九十"
HEADER_REF = "文头"
ROW_SEP = "·"

_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "．": ".", "・": ROW_SEP, "•": ROW_SEP})
_COLUMN_NUM = re.compile(r"^专栏\s*([0-9一二三四五六七八九十]+)\s*(?:[·.\-:：]\s*(.*))?$")


class UnknownRef(KeyError):
    """A ref that names nothing in the document; carries close matches for the message."""

    def __init__(self, ref: str, suggestions: list[str]):
        super().__init__(ref)
        self.ref = ref
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"；相近的引用：{'、'.join(self.suggestions)}" if self.suggestions else ""
        return f"未找到引用“{self.ref}”{hint}"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 14 -> 十四, 20 -> 二十, 23 -> 二十三."""
    if n <= 0 or n >= 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[ones - 1] if ones else "")


def numeral_value(s: str) -> int:
    """十四 -> 14, 二十 -> 20, 7 -> 7."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(ones) + 1 if ones else 0)
    return NUMERALS.index(s) + 1


def section_ref(part: str, section: str) -> str:
    return f"{part}({section})"


def column_ref(n: int) -> str:
    return f"专栏{n}"


def row_ref(n: int, label: str) -> str:
    return f"{column_ref(n)}{ROW_SEP}{label}"


def normalize_ref(text: str) -> str:
    """Canonical spelling of a ref a person typed.

    >>> normalize_ref(" 四（三） ")
    '四(三)'
    >>> normalize_ref("专栏二.新能源开发利用")
    '专栏2·新能源开发利用'
    """
    s = re.sub(r"\s+", "", text.strip().translate(_FULLWIDTH))
    s = s.strip("[]【】")
    m = _COLUMN_NUM.match(s)
    if m:
        n = numeral_value(m.group(1))
        return row_ref(n, m.group(2)) if m.group(2) else column_ref(n)
    return s


def part_of(ref: str) -> str:
    """The part a ref belongs to: 四(三) -> 四; a column's part is resolved by the document."""
    return ref.split("(", 1)[0]


def close_matches(ref: str, known: list[str], n: int = 5) -> list[str]:
    starts = [k for k in known if k.startswith(ref) and k != ref]
    fuzzy = difflib.get_close_matches(ref, known, n=n, cutoff=0.4)
    return list(dict.fromkeys(starts + fuzzy))[:n]
