"""Document text -> document tree.

The parser knows the conventions of the genre, not any one file: a plan as issued (notice header, 一、
parts, （一） sections, 专栏N columns whose rows are a tab-indented area label followed by tab-indented
targets) and a government work report (title block, "各位代表：", parts numbered 一、 or bare titles,
sections （一） as their own paragraphs or as the lead sentence of one, or standalone 一是… headings,
the closing "各位代表！" paragraphs, an appendix such as 名词解释). A 2027 plan or another province's
report parses unchanged. Headings are recognised by their numbering in sequence, so a paragraph that
merely starts with "一、" or "（三）" out of turn stays body text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .columns import parse_column
from .headings import COLUMN, appendix_title, list_heading, part_heading, section_heading, title_like
from .preamble import header_end, parse_preamble
from .refs import (
    UnknownRef,
    chinese_numeral,
    close_matches,
    normalize_ref,
    numeral_value,
    section_ref,
)

if TYPE_CHECKING:
    from .formats import SourceText
    from .metadata import Metadata

BUNDLED_PLAN = "nmg-2026-plan.txt"
CLOSING_REF = "结束语"

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


@dataclass
class Node:
    ref: str
    kind: str  # header | opening | part | section | column | row | closing | appendix
    title: str
    text: str  # the node's own body text (a part: its lead paragraph only)
    part: str | None = None  # the part this node belongs to (None for header/opening/closing/appendix)
    children: list[Node] = field(default_factory=list)

    def full_text(self) -> str:
        """Own text followed by the children's, as `show` prints it."""
        pieces = [self.text] if self.text else []
        for child in self.children:  # a column's rows read "label" then its targets
            pieces += [child.title, child.text] if child.kind == "row" else [child.full_text()]
        return "\n".join(pieces)


@dataclass
class Document:
    title: str
    header: dict[str, str]
    nodes: list[Node]  # top level, in reading order
    sha256: str
    meta: Metadata | None = None  # title, region, year, kind, label: set by load() and read_document()
    source: SourceText | None = None  # the file it was read from (name, format, sha256 of its bytes)

    def walk(self):
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @cached_property
    def by_ref(self) -> dict[str, Node]:
        return {n.ref: n for n in self.walk()}

    def get(self, ref: str) -> Node:
        """Resolve a ref as a person types it: 四（三）, 专栏二, 专栏2·新能源开发利用."""
        key = normalize_ref(ref)
        if key in self.by_ref:
            return self.by_ref[key]
        raise UnknownRef(ref, close_matches(key, list(self.by_ref)))

    @property
    def parts(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "part"]

    @property
    def columns(self) -> list[Node]:
        return [c for n in self.nodes for c in n.children if c.kind == "column"]


def clean_lines(raw: str) -> list[str]:
    """Drop Word bookmarks and trailing blanks; keep leading tabs, which mark column cells."""
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _BOOKMARK.sub("", line).rstrip()
        lines.append(line.lstrip(" \u3000") if line.strip() else "")
    return lines


def parse(raw: str) -> Document:
    lines = clean_lines(raw)
    at = [i for i, ln in enumerate(lines) if ln.strip()]
    first = next((i for i in at if part_heading(lines[i].strip(), 1) is not None), None)
    if first is not None:
        after_header = first
    else:
        skip = header_end([lines[i].strip() for i in at])
        after_header = at[skip] if skip < len(at) else len(lines)
    appendix = _appendix_at(lines, [i for i in at if i >= after_header and i != first])
    if first is not None:
        start, bare_parts = first, set()
    else:
        bare_parts = _bare_parts(lines, [i for i in at if after_header <= i < appendix])
        start = min(bare_parts, default=appendix)
    title, header, preamble = parse_preamble(lines[:start])
    body = _parse_body(lines[start:appendix], {i - start for i in bare_parts}, header.get("addressees"))
    notes = _joined(lines[appendix + 1 :])
    if notes:
        name = lines[appendix].strip().rstrip("：:")
        body.append(Node(name, "appendix", name, notes))
    return Document(title, header, preamble + body, hashlib.sha256(raw.encode("utf-8")).hexdigest())


def _appendix_at(lines: list[str], at: list[int]) -> int:
    """Where an appendix after the body starts (its title line), or len(lines)."""
    for k, i in enumerate(at):
        if title_like(lines[i].strip()) and appendix_title(lines[i], [lines[j] for j in at[k + 1 :]]):
            return i
    return len(lines)


def _bare_parts(lines: list[str], at: list[int]) -> set[int]:
    """The parts of a report that numbers none: bare titles ("2024年工作回顾", "2025年工作安排建议") between
    body paragraphs, each one followed by sections that start again at （一） if by any."""
    candidates = [i for i in at if _bare_title(lines[i].strip())]
    parts = set()
    for k, i in enumerate(candidates):
        until = candidates[k + 1] if k + 1 < len(candidates) else len(lines)
        first_section = next((found for j in range(i + 1, until) if (found := section_heading(lines[j].strip()))), None)
        if first_section is None or first_section[0] == "一":
            parts.add(i)
    return parts


def _bare_title(s: str) -> bool:
    return (title_like(s) and not list_heading(s) and not section_heading(s) and not COLUMN.match(s)
            and not s.isdigit())


def _parse_body(lines: list[str], bare_parts: set[int], closing_word: str | None) -> list[Node]:
    closing_at = _closing_start(lines, closing_word)
    parts: list[Node] = []
    i = 0
    while i < closing_at:
        stripped = lines[i].strip()
        if not stripped:
            i += 1
            continue
        title = stripped if i in bare_parts else part_heading(stripped, len(parts) + 1) if not bare_parts else None
        column_m = COLUMN.match(stripped)
        if title is not None:
            ref = chinese_numeral(len(parts) + 1)
            parts.append(Node(ref, "part", title, "", part=ref))
        elif not parts:  # cannot happen: the body starts at its first part
            raise ValueError(f"正文第一行不是部分标题：{stripped[:30]}")
        elif section := _next_section(parts[-1], stripped):
            part = parts[-1]
            part.children.append(Node(section_ref(part.ref, section[0]), "section", section[1], stripped,
                                      part=part.ref))
        elif column_m:
            column, i = parse_column(lines, i, int(column_m.group(1)), column_m.group(2).strip(), Node)
            column.part = parts[-1].ref
            for row in column.children:
                row.part = column.part
            parts[-1].children.append(column)
            continue
        else:
            _append_paragraph(parts[-1], stripped)
        i += 1
    closing = _joined(lines[closing_at:])
    return parts + ([Node(CLOSING_REF, "closing", CLOSING_REF, closing)] if closing else [])


def _next_section(part: Node, line: str) -> tuple[str, str] | None:
    """(numeral, title) when `line` heads the part's next section: （N） or a standalone "N是…" heading,
    numbered one more than the last, in the style the part's first section set."""
    sections = [c for c in part.children if c.kind == "section"]
    for style, found in (("（", section_heading(line)), ("是", list_heading(line))):
        if not found:
            continue
        first_style = sections[0].text[:1] if sections else style
        same_style = (first_style == "（") == (style == "（")
        if same_style and numeral_value(found[0]) == len(sections) + 1:
            return found
    return None


def _closing_start(lines: list[str], closing_word: str | None) -> int:
    """The closing of a speech: from the first paragraph after the last heading that addresses the
    audience again ("各位代表！…"), to the end."""
    if not closing_word:
        return len(lines)
    last_heading = max((i for i, ln in enumerate(lines) if _heading_like(ln.strip())), default=-1)
    marks = (f"{closing_word}！", f"{closing_word}!", f"{closing_word}，")
    return next((i for i in range(last_heading + 1, len(lines)) if lines[i].strip().startswith(marks)), len(lines))


def _heading_like(s: str) -> bool:
    return bool(part_heading(s) is not None or section_heading(s) or list_heading(s) or COLUMN.match(s)
                or (_bare_title(s)))


def _joined(lines: list[str]) -> str:
    return "\n".join(ln.strip() for ln in lines if ln.strip())


def _append_paragraph(part: Node, para: str) -> None:
    """A paragraph after a section continues that section; before any section it is the lead."""
    target = part.children[-1] if part.children and part.children[-1].kind == "section" else part
    target.text = f"{target.text}\n{para}" if target.text else para


def load_text(path: str | Path | None = None) -> str:
    """The text of the bundled plan, or of the document at `path` (.txt .md .docx .pdf)."""
    if path is None:
        return resources.files("assistant.data").joinpath(BUNDLED_PLAN).read_text(encoding="utf-8")
    from .formats import read_source

    return read_source(path).text


def load(path: str | Path | None = None) -> Document:
    """The document at `path` (any format formats.read_source reads), or the bundled plan, with its
    metadata read from its own header."""
    from .ingest import read_document

    return read_document(path)


__all__ = ["Document", "Node", "parse", "load", "load_text", "chinese_numeral", "numeral_value"]
