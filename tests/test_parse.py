"""The document tree of the real plan, checked against counts and sentences read off the text."""

import json
import re
import shutil
import signal
import subprocess
import sys

import pytest

from assistant.cli import main
from assistant.documents.chunk import chunk_document, split_text
from assistant.documents.parse import load_text, parse
from assistant.documents.refs import UnknownRef, normalize_ref

# sections per part, counted by hand in the plan text
SECTIONS = {"一": 0, "二": 5, "三": 3, "四": 3, "五": 3, "六": 3, "七": 4, "八": 4, "九": 4, "十": 3,
            "十一": 2, "十二": 3, "十三": 10, "十四": 0}


def test_header_fields(doc):
    assert doc.header["issuer"] == "内蒙古自治区人民政府"
    assert doc.header["number"] == "内政发〔2026〕5号"
    assert doc.header["date"] == "2026年2月13日"
    assert doc.header["session"] == "自治区十四届人大五次会议"
    assert doc.title == "2026年内蒙古自治区国民经济和社会发展计划"


def test_openings(doc):
    assert doc.get("总体要求").text.startswith("2026年是“十五五”开局之年")
    assert "粮食产量超过840亿斤" in doc.get("主要预期目标").text


def test_parts_and_sections(doc):
    assert [p.ref for p in doc.parts] == list(SECTIONS)
    for part in doc.parts:
        sections = [c for c in part.children if c.kind == "section"]
        assert len(sections) == SECTIONS[part.ref], part.ref
    assert doc.get("四").title == "大力发展现代能源经济，建设国家重要能源和战略资源基地"
    assert doc.get("四").text == "建设清洁低碳安全高效的新型能源体系，发展战略资源产业，更好保障国家能源资源安全。"
    assert doc.get("二(一)").title == "扎实推进“三北”工程攻坚战"


def test_columns(doc):
    cols = doc.columns
    assert [c.ref for c in cols] == ["专栏1", "专栏2", "专栏3"]
    assert [len(c.children) for c in cols] == [5, 2, 10]
    assert [c.part for c in cols] == ["二", "四", "十三"]
    labels = [r.title for r in cols[0].children]
    assert labels == ["“三北”工程攻坚战", "生态保护和修复", "水资源管理和节约利用", "污染防治攻坚战",
                      "“双碳”引领推动全面绿色转型"]
    row = doc.get("专栏2·新能源开发利用")
    assert "力争新增新能源并网装机3000万千瓦" in row.text
    assert doc.get("专栏3·矛盾纠纷多元化解工程").text == "12345政务服务便民热线群众诉求满意度达到90%以上。"


def test_refs_unique_and_resolvable(doc):
    refs = [n.ref for n in doc.walk()]
    assert len(refs) == len(set(refs))
    assert doc.get("四（三）").ref == "四(三)"
    assert doc.get("专栏二").ref == "专栏2"
    assert normalize_ref("专栏2 · 新能源开发利用") == "专栏2·新能源开发利用"
    with pytest.raises(UnknownRef) as e:
        doc.get("四(九)")
    assert "四(三)" in e.value.suggestions or "四" in e.value.suggestions


def test_noise_removed_and_body_kept(doc):
    raw = load_text()
    everything = "\n".join(n.full_text() for n in doc.nodes)
    assert "[bookmark" not in everything
    assert "\n\n" not in everything and "    " not in everything
    # every sentence of the body (lines after the plan title, minus headings) is kept exactly
    body = raw.split("国民经济和社会发展计划\n", 2)[-1]
    for line in body.split("\n"):
        line = line.strip()
        if not line or re.match(r"^([一二三四五六七八九十]+、|专栏\d)", line):
            continue
        for sentence in re.findall(r"[^。；]+[。；]", line):
            assert sentence.strip() in everything, sentence


def test_every_sentence_in_exactly_one_chunk(doc, chunks):
    by_ref = {}
    for c in chunks:
        by_ref.setdefault(c.ref, []).append(c)
    for node in doc.walk():
        if node.text:
            pieces = by_ref.pop(node.ref)
            assert "".join(p.text for p in pieces) == node.text
            assert [p.start for p in pieces] == sorted(p.start for p in pieces)
    assert by_ref == {}


def test_long_text_split_at_sentence_ends():
    text = "甲" * 100 + "。" + "乙" * 100 + "；" + "丙" * 50 + "。"
    spans = split_text(text, max_chars=160)
    assert [text[a:b] for a, b in spans] == ["甲" * 100 + "。", "乙" * 100 + "；" + "丙" * 50 + "。"]


def test_real_sections_split_keep_ref(doc):
    small = chunk_document(doc, max_chars=120)
    pieces = [c for c in small if c.ref == "一"]
    assert len(pieces) > 1
    assert "".join(p.text for p in pieces) == doc.get("一").text


SYNTHETIC = """\
[bookmark: x]某某自治区人民政府关于
下达2027年某某自治区国民经济和社会发展计划的通知
某政发〔2027〕9号

各市人民政府：
《2027年某某自治区国民经济和社会发展计划》已经自治区十五届人大一次会议审议通过，现予下达。
                 2027年1月20日

2027年某某自治区
国民经济和社会发展计划

2027年是关键之年，总体要求是：稳中求进。
2027年主要预期目标是：地区生产总值增长6%左右。
一、做强实体经济
  推动产业升级。
（一）发展制造业。新建工厂10座。
提高制造业比重。
（二）发展服务业。新增就业2万人。
专栏1  实体经济重点任务目标
\t制造业
提  升
\t1.新建工厂10座。
2.技改投资增长8%。

\t服务业
\t新增就业2万人。


二、改善民生
    办好民生实事。
"""


def test_synthetic_plan_parses():
    d = parse(SYNTHETIC)
    assert d.header["number"] == "某政发〔2027〕9号"
    assert d.header["session"] == "自治区十五届人大一次会议"
    assert d.title == "2027年某某自治区国民经济和社会发展计划"
    assert d.get("主要预期目标").text == "2027年主要预期目标是：地区生产总值增长6%左右。"
    assert [p.ref for p in d.parts] == ["一", "二"]
    assert d.get("一").text == "推动产业升级。"
    assert d.get("一(一)").text == "（一）发展制造业。新建工厂10座。\n提高制造业比重。"
    assert [r.ref for r in d.get("专栏1").children] == ["专栏1·制造业提升", "专栏1·服务业"]
    assert d.get("专栏1·制造业提升").text == "1.新建工厂10座。\n2.技改投资增长8%。"
    assert d.get("二").text == "办好民生实事。"


def test_cli_show_and_outline(capsys):
    assert main(["show", "四（三）"]) == 0
    out = capsys.readouterr().out
    assert "设立稀土产业基金" in out and out.startswith("[四(三)]")
    assert main(["show", "专栏2", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ref"] == "专栏2" and "新能源开发利用" in shown["text"] and "原油产量达到335万吨" in shown["text"]
    assert main(["outline", "--json"]) == 0
    tree = json.loads(capsys.readouterr().out)
    part4 = next(n for n in tree if n["ref"] == "四")
    assert [c["ref"] for c in part4["children"]] == ["四(一)", "四(二)", "四(三)", "专栏2"]
    assert main(["show", "专栏9"]) == 2
    assert "专栏" in capsys.readouterr().err


def test_cli_main_leaves_sigpipe_to_its_caller(capsys):
    """Tests and servers call `main` in their own process, where a write to a closed socket must raise
    BrokenPipeError, not kill the process; only the `plan-assistant` command itself ends quietly by SIGPIPE."""
    before = signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as Python sets it at start-up
    try:
        assert main(["outline"]) == 0
        assert signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGPIPE, before)
    assert capsys.readouterr().out.startswith("2026年")


def test_command_into_a_closed_pipe_ends_quietly():
    """`true` exits before the command writes, so every write meets a closed pipe."""
    command = shutil.which("plan-assistant") or f"{sys.executable} -m assistant"
    out = subprocess.run(f"{command} outline | true", shell=True, capture_output=True, text=True, timeout=60)
    assert out.stderr == ""
