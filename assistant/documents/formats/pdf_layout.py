"""Characters of PDF pages -> lines -> paragraphs.

A PDF has no paragraphs, only lines placed on a page; a line ends a paragraph when the next one starts
indented (or with the ideographic spaces Chinese text indents with), when it stops short of the right
margin, when a larger gap or another font size follows. Page numbers and running heads are dropped.

    >>> L = lambda text, x0, x1, top: Line(text, x0, x1, top, top + 14, 14.0)
    >>> page = [L("一、总体要求", 90, 174, 100), L("　　稳中求进工作总基调，坚持高质量发展，", 90, 504, 131),
    ...         L("推动经济实现质的有效提升。", 90, 272, 162), L("　　扩大内需。", 90, 188, 193),
    ...         L("3", 296, 303, 780)]
    >>> paragraphs(strip_furniture([page]))
    ['一、总体要求', '　　稳中求进工作总基调，坚持高质量发展，推动经济实现质的有效提升。', '　　扩大内需。']
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
_SENTENCE_END = tuple("。！？；：!?;:")
_CLOSERS = "”’」』）)》"
_INDENT_CHARS = ("\u3000", "  ")


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def text_lines(chars: list[dict], page_height: float) -> list[Line]:
    """pdfplumber's characters of one page -> its lines, top to bottom. Characters sit on one line when
    their boxes overlap vertically by half; within a line they are read left to right, a character
    drawn twice at the same place (simulated bold) once, and a space put only where Latin words stand
    apart without one (a gap between Chinese characters and digits is spacing, not a space)."""
    rows: list[list[dict]] = []
    for c in sorted((c for c in chars if c.get("upright", True)), key=lambda c: (c["top"], c["x0"])):
        row = rows[-1] if rows else None
        if row and _overlap(row, c) >= 0.5:
            row.append(c)
        else:
            rows.append([c])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        pieces, prev = [], None
        for c in row:
            if prev is not None:
                if c["text"] == prev["text"] and abs(c["x0"] - prev["x0"]) < 0.2 * c["size"]:
                    continue
                gap = c["x0"] - prev["x1"]
                if gap > 2 * c["size"]:
                    pieces.append("\t")  # a table's next cell
                elif gap > 0.4 * c["size"] and not (_is_cjk(c["text"][:1]) or _is_cjk(prev["text"][-1:])):
                    if not (pieces and pieces[-1].endswith(" ")) and c["text"] != " ":
                        pieces.append(" ")
            pieces.append(c["text"])
            prev = c
        text = "".join(pieces)
        if text.strip():
            lines.append(
                Line(
                    text,
                    row[0]["x0"],
                    row[-1]["x1"],
                    min(c["top"] for c in row),
                    max(c["bottom"] for c in row),
                    statistics.median(c["size"] for c in row),
                )
            )
    return lines


def _overlap(row: list[dict], c: dict) -> float:
    top, bottom = min(r["top"] for r in row[-3:]), max(r["bottom"] for r in row[-3:])
    height = min(bottom - top, c["bottom"] - c["top"]) or 1.0
    return max(0.0, min(bottom, c["bottom"]) - max(top, c["top"])) / height


def strip_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop page numbers (the first or last line of a page, a number alone: "3", "- 3 -", "第3页") and
    running heads or feet (the same first or last line, digits aside, on half the pages or more)."""
    edges = Counter()
    for page in pages:
        for line in {page[0], page[-1]} if page else ():
            edges[_shape(line.text)] += 1
    repeated = {s for s, n in edges.items() if len(pages) >= 3 and n * 2 >= len(pages)}
    out = []
    for page in pages:
        keep = list(page)
        for at in (0, -1):
            if keep and (_PAGE_NUMBER.match(keep[at].text) or _shape(keep[at].text) in repeated):
                keep.pop(at)
        out.append(keep)
    return out


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip())


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """Join each paragraph's lines; the margins are measured per page (odd and even pages may differ)."""
    out: list[str] = []
    prev: Line | None = None
    prev_right = 0.0
    pitch = _line_pitch(pages)
    for page in pages:
        left, right = _margins(page)
        for line in page:
            if prev is None or _starts_paragraph(prev, prev_right, line, left, pitch):
                out.append(line.text)
            else:
                joiner = " " if _latin_end(out[-1]) and _latin_start(line.text) else ""
                out[-1] += joiner + line.text
            prev, prev_right = line, right
    return [p.rstrip() for p in out]


def _starts_paragraph(prev: Line, right: float, line: Line, left: float, pitch: float) -> bool:
    size = line.size
    if line.text.startswith(_INDENT_CHARS) or line.x0 > left + 0.5 * size:
        return True
    if abs(prev.size - line.size) > 0.1 * size:
        return True
    if pitch and prev.top < line.top and line.top - prev.top > 1.6 * pitch:
        return True
    short = right - prev.x1
    ends_sentence = prev.text.rstrip().rstrip(_CLOSERS).endswith(_SENTENCE_END)
    return short > 0.5 * size or (ends_sentence and short > 0.2 * size)


def _margins(page: list[Line]) -> tuple[float, float]:
    if not page:
        return 0.0, 0.0
    left = Counter(round(line.x0) for line in page).most_common(1)[0][0]
    widest = max(line.x1 - line.x0 for line in page)
    full = [line.x1 for line in page if line.x1 - line.x0 >= 0.6 * widest]
    return float(left), statistics.median(full)


def _line_pitch(pages: list[list[Line]]) -> float:
    steps = [b.top - a.top for page in pages for a, b in zip(page, page[1:], strict=False) if b.top > a.top]
    return statistics.median(steps) if steps else 0.0


def _latin_end(text: str) -> bool:
    return bool(text) and text[-1].isascii() and text[-1].isalnum()


def _latin_start(text: str) -> bool:
    return bool(text) and text[0].isascii() and text[0].isalpha()
