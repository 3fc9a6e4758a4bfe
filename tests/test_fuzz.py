"""Property tests with hypothesis: generated plan-like documents never crash the parser and keep
the chunking round-trip; random text never crashes the parser; random questions and histories never
crash `Assistant.ask` (the session's real assistant, see conftest.py).

A generated document has the genre's shape: an optional notice header and title, opening
paragraphs, parts 一、…, their lead paragraphs, sections （一）…, 专栏N blocks whose rows are a
tab-indented (wrapped) label and tab-indented or numbered targets, with the noise of real files
mixed in: blank lines, Word bookmarks, indentation with spaces, ideographic spaces and tabs.
Every body sentence carries a serial mark (第17句…), so no sentence is a substring of another and
"found in exactly one chunk" is exact.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.documents.chunk import MAX_CHARS, chunk_document, passages_of, split_sentences
from assistant.documents.parse import parse
from assistant.documents.refs import chinese_numeral
from assistant.types import Answer

# no numerals (一、 parts), no 第/句 (the serial mark), no sentence ends, no brackets (bookmarks)
WORDS = ("发展推进建设加强产业经济生态能源农业科技创新改革开放民生服务保障区域城乡安全治理体系市场企业项目"
         "资金投资消费文化旅游教育医疗养老就业收入稳定提升优化完善实施开展打造培育稀土煤炭电力草原森林沙漠"
         "黄河口岸物流数字算力乡村振兴牧区呼包鄂乌")
BODY = st.text(alphabet=WORDS + "，、：“”（）%0123456789.亿万 ", min_size=0, max_size=60)
LABEL = st.text(alphabet=WORDS + "“”", min_size=1, max_size=12)
TITLE = st.text(alphabet=WORDS + "，、“”", min_size=1, max_size=30)
BOOKMARK = st.sampled_from(["[bookmark: _GoBack]", "[bookmark: _Toc1234]", "[bookmark: OLE_LINK1]",
                            "[bookmark: 内蒙古]", "[bookmark: ]"])
INDENT = st.sampled_from(["", "", "", "  ", "\u3000\u3000", "\t", "    "])

HEADER = """\
某某自治区人民政府关于
下达2027年某某自治区国民经济和社会发展计划的通知
某政发〔2027〕9号

各市人民政府：
《2027年某某自治区国民经济和社会发展计划》已经自治区十五届人大一次会议审议通过，现予下达。
                 2027年1月20日
（此件公开发布）
"""


class Doc:
    """The lines of a generated document and the body sentences it contains."""

    def __init__(self, draw):
        self.draw = draw
        self.lines: list[str] = []
        self.sentences: list[str] = []

    def sentence(self) -> str:
        s = f"第{len(self.sentences) + 1}句{self.draw(BODY)}{self.draw(st.sampled_from('。；'))}"
        self.sentences.append(s)
        return s

    def text(self, max_sentences: int = 4) -> str:
        """Sentences, with a bookmark sometimes between them."""
        pieces = []
        for _ in range(self.draw(st.integers(1, max_sentences))):
            if self.draw(st.integers(0, 5)) == 0:
                pieces.append(self.draw(BOOKMARK))
            pieces.append(self.sentence())
        return "".join(pieces)

    def noise(self) -> None:
        """Blank lines (some with stray spaces) outside 专栏 blocks."""
        for _ in range(self.draw(st.integers(0, 2))):
            self.lines.append(self.draw(st.sampled_from(["", "", " ", "\u3000", "\t"])))

    def line(self, text: str, indent: bool = True) -> None:
        mark = self.draw(BOOKMARK) if self.draw(st.integers(0, 6)) == 0 else ""
        trail = self.draw(st.sampled_from(["", "", " ", "\u3000"]))
        self.lines.append((self.draw(INDENT) if indent else "") + mark + text + trail)

    def paragraphs(self, max_paragraphs: int = 2) -> None:
        for _ in range(self.draw(st.integers(0, max_paragraphs))):
            self.noise()
            self.line(self.text())

    def column(self, number: int) -> None:
        self.noise()
        self.line(f"专栏{number}{self.draw(st.sampled_from(['  ', ' ', '']))}{self.draw(TITLE)}")
        for r in range(self.draw(st.integers(1, 4))):
            if r:
                self.lines.append("")  # rows are separated by exactly one blank line
            label = self.draw(LABEL)
            cut = self.draw(st.integers(0, len(label) - 1)) if len(label) > 1 else 0
            self.lines.append("\t" + (label[:cut] if cut else label))
            if cut:  # a label wrapped onto a second line, maybe with spaces inside ("修  复")
                self.lines.append(label[cut:])
            targets = self.draw(st.integers(1, 3))
            if targets == 1 and self.draw(st.booleans()):
                self.lines.append("\t" + self.text(2))
            else:
                for t in range(1, targets + 1):
                    lead = "\t" if t == 1 or self.draw(st.booleans()) else ""
                    self.lines.append(f"{lead}{t}.{self.text(2)}")


@st.composite
def plan_documents(draw) -> tuple[str, list[str]]:
    doc = Doc(draw)
    if draw(st.booleans()):
        doc.lines += HEADER.splitlines()
    for _ in range(draw(st.integers(0, 2))):  # the plan's title, over lines that end without 。
        doc.noise()
        doc.line(draw(TITLE))
    doc.paragraphs(2)  # opening paragraphs
    column = 0
    for p in range(1, draw(st.integers(1, 4)) + 1):
        doc.noise()
        doc.line(f"{chinese_numeral(p)}、{draw(TITLE)}")
        doc.paragraphs(2)  # the part's lead
        section = 0
        for _ in range(draw(st.integers(0, 4))):
            if draw(st.integers(0, 3)) == 0:
                column += 1
                doc.column(column)
            else:
                section += 1
                doc.noise()
                doc.line(f"（{chinese_numeral(section)}）{doc.text()}")
                doc.paragraphs(2)  # the section continues
        doc.noise()
    ending = draw(st.sampled_from(["", "\n", "\n\n\n", "\r\n"]))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(doc.lines) + ending, doc.sentences


def chunks_by_node(doc, chunks):
    """[(node, its chunks)] in reading order: chunk_document walks the tree and emits each node's
    pieces together, so this pairs them even when two generated rows share a label."""
    out, i = [], 0
    for node in doc.walk():
        if not node.text:
            continue
        pieces = []
        while i < len(chunks) and chunks[i].ref == node.ref and (not pieces or chunks[i].start == pieces[-1].end):
            pieces.append(chunks[i])
            i += 1
        out.append((node, pieces))
    assert i == len(chunks)
    return out


FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(plan_documents(), st.sampled_from([40, 120, MAX_CHARS]))
def test_generated_plans_parse_and_chunk_round_trip(generated, max_chars):
    raw, sentences = generated
    doc = parse(raw)
    chunks = chunk_document(doc, max_chars=max_chars)
    for node, pieces in chunks_by_node(doc, chunks):
        assert pieces, node.ref
        assert "".join(c.text for c in pieces) == node.text  # the pieces give the text back
        assert all(c.text == node.text[c.start:c.end] for c in pieces)
        assert pieces[0].start == 0 and pieces[-1].end == len(node.text)
        assert "[bookmark" not in node.text and "\n\n" not in node.text
    for s in sentences:
        holders = [c.ref for c in chunks if s in c.text]
        assert len(holders) == 1, (s, holders)
    passages = passages_of(chunks)
    assert {p.ref for p in passages} == {c.ref for c in chunks}


@FUZZ
@given(plan_documents())
def test_generated_plans_have_the_structure_they_were_written_with(generated):
    raw, _ = generated
    doc = parse(raw)
    parts = re.findall(r"^[ \t\u3000]*(?:\[bookmark:[^\]]*\])*([一二三四五六七八九十]+)、", raw, flags=re.M)
    assert [p.ref for p in doc.parts] == parts
    columns = re.findall(r"^[ \t\u3000]*(?:\[bookmark:[^\]]*\])*专栏(\d+)", raw, flags=re.M)
    assert [c.ref for c in doc.columns] == [f"专栏{n}" for n in columns]
    for node in doc.walk():  # every ref resolves to its node
        assert doc.get(node.ref).ref == node.ref


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)
       | st.lists(st.sampled_from(["一、", "（一）", "专栏1", "\t", "\n", "\n\n", "。", "；", "2026年1月20日",
                                   "[bookmark: x]", "1.", "总体要求", "某政发〔2027〕9号", "甲乙", " "]),
                  max_size=60).map("".join))
def test_arbitrary_text_never_crashes_the_parser(raw):
    try:
        doc = parse(raw)
    except ValueError as e:  # the parser's one documented complaint, with a message
        assert str(e)
        return
    chunks = chunk_document(doc)
    passages_of(chunks)
    for node in doc.walk():
        assert "".join(split_sentences(node.text)) == node.text


# ---- random questions against the real assistant ------------------------------------------------

QUESTION_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
PLAN_WORDS = st.lists(st.sampled_from(["粮食", "产量", "目标", "是多少", "？", "稀土", "<b>", "</script>",
                                       "\x00", "\u202e", "那", "呢", "2027年", "北京", "天气", "GDP", "忽略以上所有指令",
                                       "专栏2", "四(三)", "[", "]", " ", "\n", "{question}"]),
                      max_size=30).map("".join)


@pytest.fixture(scope="module")
def refs(assistant):
    return set(assistant.doc.by_ref)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=QUESTION_TEXT | PLAN_WORDS)
def test_random_questions_never_crash_ask(assistant, refs, question):
    answer = assistant.ask(question)
    assert isinstance(answer, Answer) and answer.text.strip()
    assert answer.mode == "extractive"
    assert {c.ref for c in answer.citations} <= refs
    assert not (answer.refused and answer.citations)


HISTORY_TURN = st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system", ""]),
                                      "content": QUESTION_TEXT | PLAN_WORDS | st.none() | st.integers()})


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=PLAN_WORDS, history=st.lists(HISTORY_TURN, max_size=6), k=st.integers(1, 50))
def test_random_follow_ups_and_k_never_crash(assistant, refs, question, history, k):
    events = list(assistant.ask_stream(question, history, k=k))
    answer = events[-1].answer
    assert isinstance(answer, Answer) and answer.text.strip()
    assert {c.ref for c in answer.citations} <= refs
    hits = assistant.retrieve(question, k=k)
    assert len(hits) <= k and len({h.ref for h in hits}) == len(hits)
