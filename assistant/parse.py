"""Plan text -> document tree.

The parser knows the numbering conventions of the genre (一、 parts, （一） sections, 专栏N columns
whose rows are a tab-indented area label followed by tab-indented targets), not this one file, so a
2027 plan or another region's plan of the same shape parses unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from .refs import (
    HEADER_REF,
    UnknownRef,
    chinese_numeral,
    close_matches,
    column_ref,
    normalize_ref,
    numeral_value,
    row_ref,
    section_ref,
)

BUNDLED_PLAN = "nmg-2026-plan.txt"

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_PART = re.compile(r"^([一二三四五六七八九十]{1,3})、(.+)$")
_SECTION = re.compile(r"^（([一二三四五六七八九十]{1,3})）(.*)$")
_COLUMN = re.compile(r"^专栏\s*(\d+)\s*(.*)$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_DOC_NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")
_NUMBERED_ITEM = re.compile(r"^\d+[.．、]\D")


@dataclass
class Node:
    ref: str
    kind: str  # header | opening | part | section | column | row
    title: str
    text: str  # the node's own body text (a part: its lead paragraph only)
    part: str | None = None  # the part this node belongs to (None for header/opening)
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
    first_part = next((i for i, ln in enumerate(lines) if _PART.match(ln.strip())), len(lines))
    title, header, preamble = _parse_preamble(lines[:first_part])
    nodes = preamble + _parse_body(lines[first_part:])
    return Document(title, header, nodes, hashlib.sha256(raw.encode("utf-8")).hexdigest())


def _paragraphs(lines: list[str]) -> list[str]:
    return [ln.strip() for ln in lines if ln.strip()]


def _parse_preamble(lines: list[str]) -> tuple[str, dict[str, str], list[Node]]:
    """The notice header (up to its date line) and the opening paragraphs before part 一."""
    paras = _paragraphs(lines)
    date_at = next((i for i, p in enumerate(paras) if _DATE.match(p)), None)
    header_paras, rest = ([], paras) if date_at is None else (paras[: date_at + 1], paras[date_at + 1 :])
    while rest and rest[0].startswith("（") and rest[0].endswith("）"):  # e.g. （此件公开发布）
        header_paras.append(rest.pop(0))

    nodes: list[Node] = []
    header: dict[str, str] = {}
    if header_paras:
        header = _header_fields(header_paras)
        body = header_paras[header_paras.index(header["number"]) :] if "number" in header else header_paras
        text = "\n".join(([header["title"]] if "title" in header else []) + body)
        nodes.append(Node(HEADER_REF, "header", header.get("title", "文头"), text))

    title_lines = [p for p in rest if not p.endswith(("。", "；"))]
    openings = [p for p in rest if p.endswith(("。", "；"))]
    for i, para in enumerate(openings, 1):
        if "总体要求" in para:
            ref = title = "总体要求"
        elif "预期目标" in para:
            ref = title = "主要预期目标"
        else:
            ref, title = f"导言{i}", "导言"
        nodes.append(Node(ref, "opening", title, para))
    return "".join(title_lines), header, nodes


def _header_fields(paras: list[str]) -> dict[str, str]:
    number_at = next((i for i, p in enumerate(paras) if _DOC_NUMBER.fullmatch(p)), None)
    fields = {}
    if number_at is not None:
        fields["title"] = "".join(paras[:number_at])
        fields["number"] = paras[number_at]
    m = re.match(r"^(.+?(?:人民政府|办公厅|委员会))关于", fields.get("title", ""))
    if m:
        fields["issuer"] = m.group(1)
    dates = [p for p in paras if _DATE.match(p)]
    if dates:
        fields["date"] = dates[-1]
    session = re.search(r"已经(.+?会议)审议通过", "".join(paras))
    if session:
        fields["session"] = session.group(1)
    after = paras[number_at + 1 :] if number_at is not None else paras
    addressees = next((p for p in after if p.endswith(("：", ":")) and len(p) <= 120), None)
    if addressees:
        fields["addressees"] = addressees.rstrip("：:")  # 各盟行政公署、市人民政府，自治区各委、办、厅、局…
    return fields


def _parse_body(lines: list[str]) -> list[Node]:
    parts: list[Node] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        part_m = _PART.match(stripped)
        section_m = _SECTION.match(stripped)
        column_m = _COLUMN.match(stripped)
        if part_m:
            part = part_m.group(1)
            parts.append(Node(part, "part", part_m.group(2), "", part=part))
        elif not parts and stripped:
            raise ValueError(f"正文第一行不是“一、”形式的部分标题：{stripped[:30]}")
        elif section_m:
            part = parts[-1]
            title = re.split(r"[。；]", section_m.group(2), maxsplit=1)[0]
            part.children.append(
                Node(section_ref(part.ref, section_m.group(1)), "section", title, stripped, part=part.ref)
            )
        elif column_m:
            column, i = _parse_column(lines, i, int(column_m.group(1)), column_m.group(2).strip())
            column.part = parts[-1].ref
            for row in column.children:
                row.part = column.part
            parts[-1].children.append(column)
            continue
        elif stripped:
            _append_paragraph(parts[-1], stripped)
        i += 1
    return parts


def _append_paragraph(part: Node, para: str) -> None:
    """A paragraph after a section continues that section; before any section it is the lead."""
    target = part.children[-1] if part.children and part.children[-1].kind == "section" else part
    target.text = f"{target.text}\n{para}" if target.text else para


def _parse_column(lines: list[str], start: int, number: int, title: str) -> tuple[Node, int]:
    """Rows are blocks separated by blank lines: a tab-indented label (wrapped over lines), then
    tab-indented target lines. The column ends at the next heading or a run of blank lines."""
    column = Node(column_ref(number), "column", title, "")
    i, block = start + 1, []
    while i <= len(lines):
        line = lines[i] if i < len(lines) else ""
        at_end = i == len(lines) or _is_heading(line.strip())
        blank_run = not line.strip() and (i + 1 >= len(lines) or not lines[i + 1].strip())
        if line.strip() and not at_end:
            block.append(line)
        elif block:
            column.children.append(_parse_row(number, block))
            block = []
        if at_end or (blank_run and column.children):
            break
        i += 1
    return column, i


def _parse_row(number: int, block: list[str]) -> Node:
    label_lines, target_lines = [block[0]], []
    for line in block[1:]:
        if target_lines or line.startswith("\t") or _NUMBERED_ITEM.match(line.strip()):
            target_lines.append(line.strip())
        else:
            label_lines.append(line)
    label = re.sub(r"\s+", "", "".join(label_lines))
    return Node(row_ref(number, label), "row", label, "\n".join(target_lines))


def _is_heading(s: str) -> bool:
    return bool(_PART.match(s) or _SECTION.match(s) or _COLUMN.match(s))


def load_text(path: str | Path | None = None) -> str:
    if path is None:
        return resources.files("assistant.data").joinpath(BUNDLED_PLAN).read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8")


def load(path: str | Path | None = None) -> Document:
    """Parse the plan at `path`, or the bundled plan."""
    return parse(load_text(path))


__all__ = ["Document", "Node", "parse", "load", "load_text", "chinese_numeral", "numeral_value"]
