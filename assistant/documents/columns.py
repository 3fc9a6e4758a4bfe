"""专栏 (columns): boxed tables of a plan, as text. Rows are blocks separated by blank lines: a
tab-indented area label (wrapped over lines), then tab-indented or numbered target lines."""

from __future__ import annotations

import re

from .headings import COLUMN, NUMBERED_NOTE, part_heading, section_heading
from .refs import column_ref, row_ref


def parse_column(lines: list[str], start: int, number: int, title: str, Node) -> tuple[object, int]:
    """The column whose heading is lines[start] and the index just after it. The column ends at the
    next heading or a run of blank lines."""
    column = Node(column_ref(number), "column", title, "")
    i, block = start + 1, []
    while i <= len(lines):
        line = lines[i] if i < len(lines) else ""
        at_end = i == len(lines) or _is_heading(line.strip())
        blank_run = not line.strip() and (i + 1 >= len(lines) or not lines[i + 1].strip())
        if line.strip() and not at_end:
            block.append(line)
        elif block:
            column.children.append(_parse_row(number, block, Node))
            block = []
        if at_end or (blank_run and column.children):
            break
        i += 1
    return column, i


def _parse_row(number: int, block: list[str], Node):
    label_lines, target_lines = [block[0]], []
    for line in block[1:]:
        if target_lines or line.startswith("\t") or NUMBERED_NOTE.match(line.strip()):
            target_lines.append(line.strip())
        else:
            label_lines.append(line)
    label = re.sub(r"\s+", "", "".join(label_lines))
    return Node(row_ref(number, label), "row", label, "\n".join(target_lines))


def _is_heading(s: str) -> bool:
    return bool(part_heading(s) is not None or section_heading(s) or COLUMN.match(s))
