"""Word .docx: the body's paragraphs and tables in the order they stand, one line each.

A table row becomes one line, its cells separated by tabs. Text in content controls is read like any
other; deleted revisions, field codes, text boxes and drawings are left out (they are not in the
body's reading order). A manual line break inside a paragraph is a line break in the text, as it is
in a PDF of the same file.
"""

from __future__ import annotations

import io

from ...errors import UnreadableDocument
from . import not_what_it_says, sniff

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {
    f"{_W}drawing",
    f"{_W}pict",
    f"{_W}object",
    f"{_W}del",
    f"{_W}moveFrom",
    f"{_W}instrText",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}
_CHARS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def read_docx(data: bytes, name: str) -> str:
    if sniff(data) != "zip":
        raise not_what_it_says(name, " Word 文档（.docx）", data)
    try:
        import docx  # python-docx

        body = docx.Document(io.BytesIO(data)).element.body
    except ImportError as e:
        raise UnreadableDocument("读取 .docx 需要 python-docx：pip install python-docx") from e
    except Exception as e:  # zipfile, lxml and python-docx each raise their own types on a damaged file
        raise UnreadableDocument(f"“{name}”不是有效的 Word 文档（.docx），可能已损坏") from e
    return "\n".join(_block_lines(body))


def _block_lines(container):
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(child)
        elif child.tag == f"{_W}sdt":  # a content control around paragraphs or tables
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_lines(content)


def _table_lines(tbl):
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            text = "".join(line for line in _block_lines(tc)).strip()
            if _continues_merge(tc):  # a vertically merged cell repeats nothing
                text = ""
            cells.append(text)
        if any(cells):
            yield "\t".join(cells).rstrip("\t")


def _continues_merge(tc) -> bool:
    props = tc.find(f"{_W}tcPr")
    merge = props.find(f"{_W}vMerge") if props is not None else None
    return merge is not None and merge.get(f"{_W}val") in (None, "continue")


def _paragraph_text(p) -> str:
    return "".join(_run_text(p))


def _run_text(el):
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{_W}t":
            yield child.text or ""
        elif tag in _CHARS:
            yield _CHARS[tag]
        elif tag == f"{_W}p":  # a paragraph nested in a content control inside a paragraph
            yield _paragraph_text(child)
        else:
            yield from _run_text(child)
