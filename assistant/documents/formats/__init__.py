"""File -> plain text, one paragraph a line, whatever the format: the tree parser reads only that.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
    >>> _ = p.write_bytes("一、总体要求\\n稳中求进。".encode("gb18030"))
    >>> s = read_source(p)
    >>> (s.format, s.text)
    ('txt', '一、总体要求\\n稳中求进。')

Every failure is a DocumentError subclass (assistant/errors.py) with a one-line Chinese message that
names the file; no reader returns part of a file it could not read whole.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ...errors import DocumentTooLarge, EmptyDocument, UnreadableDocument, UnsupportedFormat

MAX_BYTES = 20 * 1024 * 1024  # a 200-page report as PDF is a few MB; more is not a document of this genre
FORMATS = {".docx": "docx", ".pdf": "pdf", ".txt": "txt", ".md": "md", ".markdown": "md"}
_LEGACY = {".doc": ".docx", ".wps": ".docx", ".rtf": ".docx"}


@dataclass(frozen=True)
class SourceText:
    name: str  # the file's name, for messages and as a last-resort title
    format: str  # docx | pdf | txt | md
    text: str  # paragraphs, one a line, in reading order
    sha256: str  # of the file's bytes: the same file added twice has the same hash
    size: int


def read_source(path: str | Path) -> SourceText:
    """Read a .docx, .pdf, .txt or .md file into text. Raises DocumentError (a subclass saying which
    problem) for anything that is not a readable document, and FileNotFoundError for a missing path."""
    path = Path(path)
    fmt = _format_of(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentTooLarge(
            f"文件“{path.name}”有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限"
        )
    data = path.read_bytes()
    if not data.strip():
        raise EmptyDocument(f"文件“{path.name}”是空的")
    text = _reader(fmt)(data, path.name)
    if not text.strip():
        raise EmptyDocument(f"文件“{path.name}”没有文字内容")
    return SourceText(path.name, fmt, text, hashlib.sha256(data).hexdigest(), size)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if path.is_dir():
        raise UnreadableDocument(f"“{path.name}”是文件夹，不是文件")
    if suffix in FORMATS:
        return FORMATS[suffix]
    if suffix in _LEGACY:
        raise UnsupportedFormat(f"不支持 {suffix} 格式的“{path.name}”，请另存为 {_LEGACY[suffix]} 后再添加")
    raise UnsupportedFormat(f"不支持“{path.name}”的格式：只能读取 .docx、.pdf、.txt、.md 文件")


def _reader(fmt: str):
    # imported on use: python-docx and pdfplumber are only loaded when such a file is read
    if fmt == "docx":
        from .word import read_docx

        return read_docx
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf
    from .plain import read_markdown, read_txt

    return read_markdown if fmt == "md" else read_txt


def sniff(data: bytes) -> str | None:
    """What the bytes are, whatever the file is called: 'zip' (a .docx is one), 'pdf', 'ole' (an old
    .doc), or None."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    return None


def not_what_it_says(name: str, expected: str, data: bytes) -> UnreadableDocument:
    """The error for a file whose content is another format than its extension says."""
    actual = {"zip": "压缩包或 Word 文档", "pdf": "PDF 文件", "ole": "旧版 Word（.doc）文档"}.get(
        sniff(data) or ""
    )
    if actual is None:
        actual = "纯文本" if b"\x00" not in data[:4096] else "无法识别的二进制数据"
    return UnreadableDocument(f"“{name}”不是有效的{expected}：文件内容是{actual}，请确认文件格式与扩展名一致")


__all__ = ["MAX_BYTES", "SourceText", "read_source", "sniff", "not_what_it_says"]
