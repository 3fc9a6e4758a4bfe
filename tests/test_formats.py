"""Files in, text out: .txt in its encodings, .md, .docx with a table, and every kind of bad file,
each made here for real (LibreOffice prints the password-protected PDF, Pillow the scanned one)."""

import docx
import pytest
from corpus_files import corpus_file, to_pdf
from PIL import Image

from assistant.cli import main
from assistant.documents.formats import MAX_BYTES, read_source
from assistant.documents.ingest import read_document
from assistant.errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
    UnreadableDocument,
    UnsupportedFormat,
)

REPORT = """2026年某某省政府工作报告
——2026年1月15日在某某省第十五届人民代表大会第一次会议上
某某省省长 李四
各位代表：
现在，我代表省人民政府，向大会报告工作。
一、2025年工作回顾
预计全省地区生产总值增长5.6%左右。
二、2026年工作安排
今年发展主要预期目标是：地区生产总值增长5%左右，城镇新增就业40万人以上。
（一）扩大内需。社会消费品零售总额增长5%。
（二）稳定就业。新增技能人才2万人。
各位代表！让我们团结奋斗。"""


def shape(doc):
    return [(n.ref, n.kind, n.title) for n in doc.walk()]


@pytest.fixture(scope="module")
def txt_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("txt") / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return read_document(path)


def test_report_text_parses(txt_doc):
    assert shape(txt_doc) == [
        ("文头", "header", "2026年某某省政府工作报告"), ("导言1", "opening", "导言"),
        ("一", "part", "2025年工作回顾"), ("二", "part", "2026年工作安排"),
        ("二(一)", "section", "扩大内需"), ("二(二)", "section", "稳定就业"), ("结束语", "closing", "结束语"),
    ]
    assert (txt_doc.meta.label, txt_doc.meta.speaker, txt_doc.meta.region) == ("2026某某政府工作报告", "李四", "某某省")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_in_any_encoding_reads_the_same(tmp_path, encoding, txt_doc):
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.replace("\n", "\r\n").encode(encoding))
    source = read_source(path)
    assert source.text == REPORT
    assert shape(read_document(path)) == shape(txt_doc)


def test_markdown_reads_as_its_text(tmp_path, txt_doc):
    md = REPORT.replace("2026年某某省政府工作报告", "# 2026年某某省政府工作报告", 1)
    md = md.replace("一、2025年工作回顾", "## 一、2025年工作回顾").replace("二、2026年工作安排", "## **二、2026年工作安排**")
    md = md.replace("（一）扩大内需。", "**（一）扩大内需。**")
    path = tmp_path / "report.md"
    path.write_text(md, encoding="utf-8")
    doc = read_document(path)
    assert doc.source.format == "md" and shape(doc) == shape(txt_doc)
    assert doc.get("二(一)").text == "（一）扩大内需。社会消费品零售总额增长5%。"


def test_docx_paragraphs_and_tables_in_body_order(tmp_path):
    d = docx.Document()
    for line in REPORT.split("\n")[:8]:
        d.add_paragraph(line)
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "指标", (0, 1): "目标", (1, 0): "地区生产总值增长", (1, 1): "5%左右"}.items():
        table.cell(r, c).text = text
    d.add_paragraph("（一）扩大内需。")
    path = tmp_path / "report.docx"
    d.save(path)
    lines = read_source(path).text.split("\n")
    assert lines[7:] == ["二、2026年工作安排", "指标\t目标", "地区生产总值增长\t5%左右", "（一）扩大内需。"]
    assert read_document(path).get("二").text == "指标\t目标\n地区生产总值增长\t5%左右"


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _blank_docx(path):
    docx.Document().save(path)
    return path


def _image_pdf(path):  # a scan: a page image and no text
    Image.new("RGB", (600, 800), "white").save(path)
    return path


def _truncated_pdf(tmp_path, path):
    data = _real_pdf(tmp_path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _damaged_pdf(tmp_path, path):  # complete, but one compressed stream overwritten
    data = bytearray(_real_pdf(tmp_path).read_bytes())
    at = len(data) // 3  # inside the compressed data of a page (LibreOffice writes fonts at the end)
    data[at : at + 5000] = b"x" * 5000
    path.write_bytes(bytes(data))
    return path


def _real_pdf(tmp_path):
    src = corpus_file("2025年甘肃省政府工作报告.docx")
    return to_pdf([src], tmp_path / "printed")[src]


BAD_FILES = {
    "txt_renamed_docx": (lambda tmp, p: _write(p, REPORT.encode()), "报告.docx", UnreadableDocument, "纯文本"),
    "corrupt_docx": (lambda tmp, p: _write(p, b"PK\x03\x04" + b"\x00" * 300), "坏.docx", UnreadableDocument,
                     "不是有效的 Word 文档"),
    "pdf_renamed_txt": (lambda tmp, p: _write(p, b"%PDF-1.7\n%%EOF\n"), "a.txt", UnreadableDocument, "PDF"),
    "garbage_pdf": (lambda tmp, p: _write(p, b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"),
                    "乱码.pdf", UnreadableDocument, "不是有效的 PDF"),
    "truncated_pdf": (_truncated_pdf, "截断.pdf", UnreadableDocument, "不是完整的 PDF"),
    "damaged_pdf": (_damaged_pdf, "损坏.pdf", UnreadableDocument, "已损坏"),
    "scanned_pdf": (lambda tmp, p: _image_pdf(p), "扫描件.pdf", NoTextLayer,
                    "该 PDF 没有文字层（可能是扫描件），请先做文字识别"),
    "empty_txt": (lambda tmp, p: _write(p, b""), "空.txt", EmptyDocument, "是空的"),
    "blank_txt": (lambda tmp, p: _write(p, " \n\u3000\n\t\n".encode()), "空白.txt", EmptyDocument, "没有文字"),
    "empty_docx": (lambda tmp, p: _blank_docx(p), "空.docx", EmptyDocument, "没有文字"),
    "binary_txt": (lambda tmp, p: _write(p, bytes(range(256))), "b.txt", UnreadableDocument, "二进制"),
    "old_doc": (lambda tmp, p: _write(p, b"\xd0\xcf\x11\xe0" + b"\x00" * 100), "旧.doc", UnsupportedFormat,
                "另存为 .docx"),
    "unknown_format": (lambda tmp, p: _write(p, b"x"), "表.xlsx", UnsupportedFormat, ".docx、.pdf、.txt、.md"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_one_chinese_line(tmp_path, case):
    make, name, error, words = BAD_FILES[case]
    path = make(tmp_path, tmp_path / name)
    with pytest.raises(error) as e:
        read_document(path)
    message = str(e.value)
    assert words in message and "\n" not in message and path.name in message


def test_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "大.pdf"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: the check is on its size, before any byte is read
    with pytest.raises(DocumentTooLarge, match="超过 20 MB 的上限"):
        read_source(path)


def test_password_protected_pdf(tmp_path):
    src = corpus_file("2025年甘肃省政府工作报告.docx")
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"s3"}}'
    pdf = to_pdf([src], tmp_path, options)[src]
    with pytest.raises(EncryptedDocument, match="设有打开密码"):
        read_source(pdf)


def test_blank_pdf_is_empty_not_scanned(tmp_path):
    pdf = to_pdf([_blank_docx(tmp_path / "空白.docx")], tmp_path / "out")[tmp_path / "空白.docx"]
    with pytest.raises(EmptyDocument):
        read_source(pdf)


def test_folder_is_no_document(tmp_path):
    with pytest.raises(DocumentError, match="文件夹"):
        read_source(tmp_path)


def test_cli_bad_plan_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "报告.docx"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["--plan", str(path), "outline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1 and "不是有效的 Word 文档" in err


def test_cli_reads_a_docx_plan(capsys):
    assert main(["--plan", str(corpus_file("2025年四川省政府工作报告.docx")), "show", "二（一）"]) == 0
    assert capsys.readouterr().out.startswith("[二(一)] 全方位扩大内需，稳住经济大盘\n（一）全方位扩大内需，稳住经济大盘。")
