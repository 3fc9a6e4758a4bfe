"""A target's value as written -> (low, high, qualifier, unit), so targets compare across documents.

>>> parse_amount("5.0%—5.5%")
Amount(low=5.0, high=5.5, qualifier='range', unit='%')
>>> parse_amount("不少于26万人"), parse_amount("５．５％以上")
(Amount(low=26.0, high=None, qualifier='不少于', unit='万人'), Amount(low=5.5, high=None, qualifier='以上', unit='%'))
>>> parse_amount("85万人").qualifier, parse_amount("5%以内").qualifier, parse_amount("稳中求进")
('', '以内', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# full-width digits and signs -> ASCII, one character for one, so offsets into the text stay valid
ASCII = str.maketrans("０１２３４５６７８９．％－～", "0123456789.%-~")
PREFIXES = ("不少于", "不低于", "不超过", "不高于", "超过", "突破", "高于", "低于")
SUFFIXES = ("左右", "以上", "以下", "以内", "上下")
DASHES = "—–\\-~～至"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"^(?P<pre>{'|'.join(PREFIXES)})?\s*(?P<low>{_NUM})\s*(?P<unit1>%)?\s*"
    rf"(?:[{DASHES}]{{1,2}}\s*(?P<high>{_NUM}))?\s*(?P<unit>[^\d\s]*?)\s*(?P<suf>{'|'.join(SUFFIXES)})?$"
)


@dataclass(frozen=True)
class Amount:
    low: float | None  # the first (or only) number: 5.0 of "5.0%—5.5%", 5 of "5%以内" (a ceiling)
    high: float | None  # the second number of a range, else None
    qualifier: str  # 左右 以上 以下 以内 上下 不少于 不低于 不超过 不高于 超过 突破 高于 低于 | range | ""
    unit: str  # "%", "万人", "亿元"…; "" for a bare number

    @property
    def text(self) -> str:
        """The amount written out again: "5%左右", "5.0%—5.5%", "不少于26万人"."""

        def num(x: float) -> str:
            return f"{x:g}"

        if self.high is not None:
            return f"{num(self.low)}{self.unit}—{num(self.high)}{self.unit}"
        pre = self.qualifier if self.qualifier in PREFIXES else ""
        post = self.qualifier if self.qualifier in SUFFIXES else ""
        return f"{pre}{num(self.low)}{self.unit}{post}"


def parse_amount(written: str) -> Amount | None:
    """The amount of a value as a document writes it, or None when it is not one."""
    m = _AMOUNT.match(written.strip().translate(ASCII))
    if not m:
        return None
    unit = m.group("unit") or m.group("unit1") or ""
    high = m.group("high")
    qualifier = "range" if high else (m.group("pre") or m.group("suf") or "")
    return Amount(_float(m.group("low")), _float(high) if high else None, qualifier, unit)


def _float(s: str) -> float:
    return float(s.replace(",", ""))
