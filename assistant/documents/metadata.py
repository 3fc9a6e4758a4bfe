"""What a document is, read from its own title and header: title, region, year, kind, and a short label
for refs. Any field can be given by the caller instead; nothing is keyed on a particular file.

    >>> from assistant.documents.parse import parse
    >>> m = read_metadata(parse("2025年江西省政府工作报告\\n各位代表：\\n一、2024年工作回顾\\n过去一年，稳中有进。"))
    >>> (m.region, m.year, m.kind, m.label)
    ('江西省', 2025, 'report', '2025江西政府工作报告')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from .headings import document_words

if TYPE_CHECKING:
    from .parse import Document

KINDS = ("plan", "report", "other")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REGION_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|省|市|盟|州|地区|县|区|旗)$")
_REGION_IN = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:特别行政区|自治区|自治州|省|市|盟|州))")


@dataclass(frozen=True)
class Metadata:
    title: str
    region: str  # "内蒙古自治区"; "" when the document does not say
    year: int | None
    kind: str  # plan | report | other
    label: str  # short name for qualified refs: "2025内蒙古政府工作报告"
    date: str = ""  # "2025年1月14日": the notice's date or the day the report was delivered
    speaker: str = ""  # a report's speaker: "王莉霞"


@cache
def regions() -> dict[str, str]:
    """Full name -> short name of the provincial-level divisions (assistant/data/regions.tsv)."""
    rows = files("assistant.data").joinpath("regions.tsv").read_text("utf-8").splitlines()
    return dict(r.split("\t") for r in rows if r and not r.startswith("#"))


def read_metadata(
    doc: Document,
    *,
    title: str | None = None,
    region: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    fallback_title: str | None = None,
) -> Metadata:
    """The document's metadata; an argument given (not None) wins over what the document says.
    `fallback_title` (a file's name) is used only when the document has no title of its own."""
    header = doc.header
    title = title or doc.title or header.get("title") or fallback_title or ""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"文档类型只能是 {' / '.join(KINDS)}，收到“{kind}”")
    kind = kind or kind_of(title)
    year = year if year is not None else year_of(title, header.get("date", ""))
    region = full_region(region) if region else region_of(title, header)
    return Metadata(
        title,
        region,
        year,
        kind,
        make_label(title, region, year, kind),
        header.get("date", ""),
        header.get("speaker", ""),
    )


def kind_of(title: str) -> str:
    """ "2025年政府工作报告" -> report, "…国民经济和社会发展计划" -> plan, else other."""
    for kind, words in document_words("kinds").items():
        if any(w in title for w in words):
            return kind
    return "other"


def year_of(title: str, date: str = "") -> int | None:
    for text in (title, date):
        if m := _YEAR.search(text):
            return int(m.group(1))
    return None


def region_of(title: str, header: dict[str, str]) -> str:
    """The region a document is of: the words between the year and the kind in its title ("2025年
    江西省政府工作报告" -> 江西省); else a province named in the title; else the region of the issuer,
    the speaker's office or the meeting ("江西省第十四届人民代表大会…")."""
    words = [w for ws in document_words("kinds").values() for w in ws]
    stem = _YEAR.sub("", title, count=1)
    kind_at = min((stem.find(w) for w in words if w in stem), default=-1)
    if kind_at > 0:
        between = re.sub(r"^(关于|下达|印发)", "", stem[:kind_at]).strip()
        if 2 <= len(between) <= 14:
            return full_region(between)
    for text in (
        title,
        header.get("issuer", ""),
        header.get("speaker_office", ""),
        header.get("session", ""),
    ):
        if found := _province_in(text):
            return found
        if text is not title and (m := _REGION_IN.match(text)):
            return m.group(1)
    return ""


def _province_in(text: str) -> str:
    for full, short in sorted(regions().items(), key=lambda kv: -len(kv[0])):
        if full in text or short in text:
            return full
    return ""


def full_region(name: str) -> str:
    """广西 -> 广西壮族自治区; a name that is no province (呼和浩特市) stays as it is."""
    name = name.strip()
    short_to_full = {short: full for full, short in regions().items()}
    return short_to_full.get(name, name)


def short_region(name: str) -> str:
    """内蒙古自治区 -> 内蒙古, 呼和浩特市 -> 呼和浩特."""
    if name in regions():
        return regions()[name]
    stripped = _REGION_SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


def make_label(title: str, region: str, year: int | None, kind: str) -> str:
    """ "2025内蒙古政府工作报告", "2026内蒙古计划"; a document of another kind is labelled by its title."""
    if kind == "other" or not region:
        return title[:24] or "文档"
    return f"{year or ''}{short_region(region)}{document_words('kind_labels')[kind]}"


__all__ = [
    "Metadata",
    "read_metadata",
    "kind_of",
    "year_of",
    "region_of",
    "full_region",
    "short_region",
    "make_label",
    "regions",
    "document_words",
]
