"""Plain text and Markdown.

Chinese text files come in UTF-8 (with or without a BOM), UTF-16 with a BOM (Notepad's "Unicode") and
GB18030/GBK (older Windows editors); the bytes decide, not the extension.

    >>> decode("政府工作报告".encode("gbk"), "a.txt")
    '政府工作报告'
    >>> markdown_to_text("# 一、总体要求\\n\\n**稳中求进**，见[附件](a.md)。\\n\\n| 指标 | 目标 |\\n|---|---|\\n| GDP | 5% |")
    '一、总体要求\\n\\n稳中求进，见附件。\\n\\n指标\\t目标\\nGDP\\t5%'
"""

from __future__ import annotations

import codecs
import re

from ...errors import UnreadableDocument
from . import not_what_it_says, sniff

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise UnreadableDocument(f"“{name}”的编码标记是 {encoding}，内容却不是该编码的文本") from e
    if sniff(data) or b"\x00" in data[:4096]:
        raise not_what_it_says(name, "文本文件", data)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(f"无法识别“{name}”的文字编码：请存为 UTF-8 或 GBK/GB18030 编码的文本")


def read_txt(data: bytes, name: str) -> str:
    return _normalize_newlines(decode(data, name))


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1")  # not a single _: snake_case names stay
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_QUOTE_OR_BULLET = re.compile(r"^\s*(?:>\s?)+|^\s*[-*+]\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")


def markdown_to_text(md: str) -> str:
    """The text of a Markdown document: heading marks, emphasis, links, quotes, bullets and fences
    dropped, table rows as tab-separated cells. Numbered lines ("1.") stay as they are: the parser
    reads them as numbered items."""
    out = []
    for line in _normalize_newlines(md).split("\n"):
        if _FENCE.match(line) or _TABLE_RULE.match(line) and "-" in line:
            continue
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _QUOTE_OR_BULLET.sub("", line)
        line = _LINK.sub(r"\1", _IMAGE.sub("", line))
        line = _EMPHASIS.sub(r"\2", line)
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = "\t".join(cell.strip() for cell in line.strip()[1:-1].split("|"))
        out.append(line.rstrip())
    return "\n".join(out)


def read_markdown(data: bytes, name: str) -> str:
    return markdown_to_text(decode(data, name))


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
