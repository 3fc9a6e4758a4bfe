"""PDF with a text layer (pdfplumber): the characters of each page, laid back into lines and then into
the paragraphs the PDF's layout broke them into (pdf_layout.py), so that a PDF printed from a .docx
parses into the same tree as the .docx itself.
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager

from ...errors import EmptyDocument, EncryptedDocument, NoTextLayer, UnreadableDocument
from . import not_what_it_says, sniff
from .pdf_layout import Line, paragraphs, strip_furniture, text_lines

# pdfminer reads past a damaged stream with only a log warning: such a file would come out in part
_DAMAGE = re.compile(r"corrupt|data-loss|decompress|truncat|invalid", re.I)
_UNDECODED = re.compile(r"\(cid:\d+\)")  # pdfminer's stand-in for a glyph the PDF gives no Unicode for


def read_pdf(data: bytes, name: str) -> str:
    if sniff(data) != "pdf":
        raise not_what_it_says(name, " PDF 文件", data)
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableDocument(f"“{name}”不是完整的 PDF 文件（可能在下载或复制时被截断）")
    pages, images = _read_pages(data, name)
    chars = sum(len(line.text.strip()) for page in pages for line in page)
    if not chars:
        if images:
            raise NoTextLayer(f"“{name}”：该 PDF 没有文字层（可能是扫描件），请先做文字识别")
        raise EmptyDocument(f"“{name}”没有文字内容")
    undecoded = sum(len(m) for page in pages for line in page for m in _UNDECODED.findall(line.text))
    if undecoded * 5 > chars:  # a fifth of the text or more is stand-ins
        raise UnreadableDocument(f"“{name}”的文字无法解码（PDF 缺少字符映射），请先做文字识别或另存为 Word")
    return "\n".join(paragraphs(strip_furniture(pages)))


def _read_pages(data: bytes, name: str) -> tuple[list[list[Line]], int]:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError as e:
        raise UnreadableDocument("读取 PDF 需要 pdfplumber：pip install pdfplumber") from e
    try:
        with _damage_log() as damage, pdfplumber.open(io.BytesIO(data)) as pdf:
            pages, images = [], 0
            for page in pdf.pages:
                pages.append(text_lines(page.chars, page.height))
                images += len(page.images)
    except PDFPasswordIncorrect as e:
        raise EncryptedDocument(f"“{name}”设有打开密码，请先取消密码再添加") from e
    except Exception as e:  # pdfminer raises many types on a damaged file; none leaves a usable result
        cause = e.__cause__ or e.__context__
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(e).lower():
            raise EncryptedDocument(f"“{name}”设有打开密码，请先取消密码再添加") from e
        raise UnreadableDocument(f"“{name}”不是有效的 PDF 文件，可能已损坏") from e
    if damage:
        raise UnreadableDocument(f"“{name}”已损坏，部分内容无法读取")
    return pages, images


@contextmanager
def _damage_log():
    """The damage pdfminer reports while reading (as log warnings), also kept off the console."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if _DAMAGE.search(record.getMessage()):
                found.append(record.getMessage())

    logger, handler = logging.getLogger("pdfminer"), Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
