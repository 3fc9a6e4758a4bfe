"""The offline extractive answerer: every statement of the answer is a sentence or clause of the
plan, followed by its ref. Nothing is generated; when the plan does not cover the question, it
says so and offers the nearest sections.

    number questions   "粮食产量目标是多少？" -> the clause with the figure:  粮食产量超过840亿斤 [主要预期目标]
    list questions     "稀土产业有哪些举措？" -> one bullet per measure, gathered across sections
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .intent import has_figure, is_chinese, question_kind, without_how_much
from .lexical import GENERIC, STOPWORDS, coverage, plan_words, topic_tokens
from .parse import Document
from .retrieve import Hit, HybridRetriever, Scored
from .types import Answer, Citation

REFUSAL = "计划原文没有涉及这个问题。"
# the plan is a fixed document: live information (weather, prices, scores, "now") is not in it
LIVE_INFO = re.compile(r"天气|气温|股价|股票|汇率|比分|谁赢|赢了|今天|明天|昨天|昨晚|实时|此时此刻|现在的|weather|stock price|"
                       r"score of|right now|today|tomorrow|yesterday", re.I)
# what to do in one's own affairs is not in a plan ("你觉得我该卖房吗？")
ADVICE = re.compile(r"你觉得|好还是|合适还是|划算还是|还是[^，。？?]{1,12}(?:更)?(?:划算|合适)|你认为|你建议|建议我|我该不该|我该|该不该|要不要(?:买|卖)|值不值得|划不划算|"
                    r"should i\b|do you think|would you recommend", re.I)
CONTACT = re.compile(r"电话|号码|手机号|联系方式|邮箱|网址|办公地址|在哪办公|phone|e-?mail|address|website", re.I)
# questions about the notice itself, answered from the parsed header: (pattern, header key, whether the
# question must also name the notice — "什么时候完成" asks about a task, not about the notice's date)
DOC_FACTS = (
    (re.compile(r"文号|发文字号|document number|\bnumber of the notice", re.I), "number", False),
    (re.compile(r"哪天|日期|何时|什么时候|印发时间|\bdate\b|\bwhen\b", re.I), "date", True),
    (re.compile(r"审议|批准|会议通过|approved", re.I), "session", False),  # not any 会议: the plan names others
    (re.compile(r"发文机关|哪个机关|印发单位|issued by", re.I), "issuer", False),
    (re.compile(r"谁印发|谁发|who issued", re.I), "issuer", True),
    (re.compile(r"主送|发给|下发给|下达给|发到|哪些单位|sent to|addressed to", re.I), "addressees", True),
)
NOTICE = re.compile(r"通知|落款|发文|印发|文号|这份计划|这个计划|本计划|该计划|这份文件|这个文件|notice|document|\bissued\b",
                    re.I)


def asks_about_notice(question: str) -> bool:
    """Does the question ask for the notice's 文号, date, issuer or session ("通知是谁发的？")?"""
    return bool(NOTICE.search(question)) and any(pattern.search(question) for pattern, _, _ in DOC_FACTS)


def notice_facts(question: str) -> list[str]:
    """Header keys the question asks for ("这份通知哪天印发、发给谁？" -> date, addressees)."""
    names_notice = bool(NOTICE.search(question))
    keys = [key for pattern, key, needs_notice in DOC_FACTS
            if pattern.search(question) and (names_notice or not needs_notice)]
    return list(dict.fromkeys(keys))


TASK_REQUEST = re.compile(r"写一首|作一首|写首|作诗|写诗|讲个笑话|翻译|写一篇|编一个|(?:write|compose) a", re.I)
SHORT_SENTENCE = 60
# a figure answers a question in the plan's own words only if the sentence carries most of them (IDF-weighted)
MIN_FIGURE_COVERAGE = 0.45


HEADING_SENTENCE = re.compile(r"^（[一二三四五六七八九十]+）[^，；]{2,30}。$")
OTHER_REGIONS = (
    "北京 天津 河北 山西 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 重庆 四川 贵州 "
    "云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾 Beijing Tianjin Hebei Shanxi Liaoning Jilin Heilongjiang Shanghai "
    "Jiangsu Zhejiang Anhui Fujian Jiangxi Shandong Henan Hubei Hunan Guangdong Guangxi Hainan Chongqing Sichuan Guizhou "
    "Yunnan Tibet Shaanxi Gansu Qinghai Ningxia Xinjiang"
).split()
MAX_BULLETS = 6
MIN_OWN_BULLETS = 5  # a "what measures" answer lists at least this many sentences of the best section
OTHER_REF_MARGIN = 0.03  # a sentence of a lower-ranked ref joins the list when nearly as relevant
POOL_REFS = 4


@dataclass
class Judge:
    """Calibration of refusal. Dense similarities of e5 sit in a narrow band (≈0.75–0.92)."""

    min_dense: float = 0.83  # below this, a question with little lexical support is out of scope
    min_coverage: float = 0.5  # share of a question's topic words found in the plan
    min_dense_foreign: float = 0.82  # a non-Chinese question with no glossary word must be this close


def mentions_other_region(question: str, doc_text: str) -> str | None:
    """A province named in the question as its subject: the plan is about one region. A province the
    plan itself names (库布其至河北输电通道) is the subject only when the question shares no word pair
    with the plan's clauses that name it."""
    for name in OTHER_REGIONS:
        # the region is what the question is about: it leads the question or is named as a province
        # ("广东省…", "Jiangsu province's…"), not merely mentioned ("还得跑北京上海看病吗")
        subject = rf"^{re.escape(name)}|{re.escape(name)}(?:省|市|自治区|\s*province|'s)"
        if not re.search(subject, question.strip(), re.I):
            continue
        clauses = re.findall(rf"[^，。；：\n]*{re.escape(name)}[^，。；：\n]*", doc_text)
        rest = question.replace(name, "，")
        pairs = {rest[i:i + 2] for i in range(len(rest) - 1) if re.fullmatch(r"[\u4e00-\u9fff]{2}", rest[i:i + 2])}
        if not any(p in c for c in clauses for p in pairs):
            return name
    return None


def years_not_in_plan(question: str, doc_text: str) -> list[str]:
    return [y for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", question) if f"{y}年" not in doc_text]


# words that name a statistical indicator; a figure question names one, and the plan must name it too
INDICATOR_SUFFIX = re.compile(r"(率|总额|额|收入|增加值|产值|人次|投资|指数|价格|产量|面积|总量|人口)$")


def indicator_phrase(question: str) -> str | None:
    """The indicator a figure question asks about: the word ending in 率/额/收入/投资… with the content
    words right before it.

    >>> indicator_phrase("今年全区森林覆盖率目标是多少？")
    '森林覆盖率'
    """
    from .chat import _words

    words = list(_words().cut(without_how_much(question)))
    for i in range(len(words) - 1, -1, -1):
        if INDICATOR_SUFFIX.search(words[i]) and len(words[i]) >= 2:
            j = i
            while j > 0 and re.fullmatch(r"[\u4e00-\u9fffA-Za-z0-9.]+", words[j - 1]) \
                    and words[j - 1] not in GENERIC and words[j - 1] not in SCOPE_WORDS \
                    and words[j - 1] not in STOPWORDS:
                j -= 1
            return "".join(words[j : i + 1])
    return None


COUNTED = re.compile(r"多少(?:个|座|条|家|所|处|台|辆|套|张|部|项|批|种)([\u4e00-\u9fffA-Za-z0-9]{2,8}?)(?:[，。？?！!、的呢吗啊]|$)")


def counted_thing(question: str) -> str | None:
    """What a "多少个…" question counts: 今年新建多少个5G基站？ -> 5G基站."""
    m = COUNTED.search(question)
    return m.group(1) if m else None


SCOPE_WORDS = frozenset("今年 全年 全区 我区 年 的 和 与 及 要 将 年度 预期 计划 里 中 想 能 能够".split())


def split_clauses(sentence: str) -> list[str]:
    """'甲，乙，丙。' -> ['甲', '乙', '丙。'] (the commas go; the clauses stay verbatim)."""
    return [c for c in re.split(r"[，,：:]", sentence) if c.strip()]


class ExtractiveAnswerer:
    def __init__(self, doc: Document, retriever: HybridRetriever, judge: Judge | None = None):
        self.doc = doc
        self.retriever = retriever
        self.judge = judge or Judge()
        self.doc_text = "\n".join(n.full_text() for n in doc.nodes) + doc.title
        self._sentence_idx = np.array([p.level in ("sentence", "both") for p in retriever.passages])

    # -- evidence -------------------------------------------------------------------------
    def sentence_pool(self, scored: Scored, refs: list[str]) -> list[tuple[float, int]]:
        """(score, passage index) of the sentences of `refs`, best first. Score mixes meaning,
        word overlap and the rank of the ref."""
        bm = scored.bm25_scaled
        prior = {ref: 1.0 / (1 + i) for i, ref in enumerate(refs)}
        pool = []
        for i, p in enumerate(self.retriever.passages):
            if self._sentence_idx[i] and p.ref in prior:
                pool.append((float(scored.dense[i]) + 0.5 * float(bm[i]) + 0.2 * prior[p.ref], i))
        return sorted(pool, reverse=True)

    def coverage(self, topic: list[str], text: str) -> float:
        return coverage(topic, text, self.retriever.bm25)

    def refusal_reason(self, question: str, scored: Scored, kind: str) -> str | None:
        if TASK_REQUEST.search(question):
            return "这不是关于计划内容的问题"
        if LIVE_INFO.search(question):
            return "计划是年度计划文本，不包含天气、行情等实时信息"
        if CONTACT.search(question):
            return "计划不含电话、地址等联系方式"
        if ADVICE.search(question):
            return "计划不就个人事务提供建议"
        region = mentions_other_region(question, self.doc_text)
        if region:
            return f"计划只涉及内蒙古自治区，不涉及“{region}”"
        years = years_not_in_plan(question, self.doc_text)
        if years:
            return f"计划没有涉及{years[0]}年的情况"
        if not is_chinese(question):
            # English and other languages: the plan's words are not there to match, so a question
            # must name a subject the glossary knows (GDP, grain, airport…) or be close in meaning
            from .lexical import english_terms

            known = bool(english_terms(question))
            best = float(scored.dense.max()) if len(scored.dense) else 0.0
            return None if known or best >= self.judge.min_dense_foreign else "计划原文中没有找到相关内容"
        topic = topic_tokens(scored.tokens)
        in_plan = self.coverage(topic, self.doc_text)
        best_dense = float(scored.dense.max()) if len(scored.dense) else 0.0
        if in_plan < self.judge.min_coverage and best_dense < self.judge.min_dense:
            return "计划原文中没有找到相关内容"
        return None

    def doc_fact(self, question: str) -> list[tuple[str, str]]:
        """(statement, ref) for questions about the notice itself: its number, date, issuer, session."""
        from .refs import HEADER_REF

        header = self.doc.header
        keys = [key for key in notice_facts(question) if header.get(key)]
        sentences = dict.fromkeys(self._header_sentence(header[key]) for key in keys)  # 谁发的、哪天: both
        return [(sentence, HEADER_REF) for sentence in sentences]

    def _header_sentence(self, value: str) -> str:
        text = self.doc.by_ref["文头"].text  # sentences keep their 。 so the quote is verbatim
        return next((s.strip() for s in re.findall(r"[^\n。]+。?", text) if value in s), value)

    # -- composing --------------------------------------------------------------------------
    def missing_indicator(self, question: str) -> str | None:
        """The indicator a figure question names, when the plan never names it. Its words may stand a
        few characters apart (林草产业产值 ~ 林草产业总产值) and a word of three or more characters may
        come without its first (粮食总产量 ~ 粮食产量): the head of a Chinese compound is at its end."""
        phrase = (indicator_phrase(question) or counted_thing(question)) if is_chinese(question) else None
        if not phrase or plan_words(phrase):  # 物价: the plan says 居民消费价格
            return None
        from .chat import _words

        loose = ".{0,4}".join(f"(?:{re.escape(w)}|{re.escape(w[1:])})" if len(w) >= 3 else re.escape(w)
                              for w in _words().cut(phrase))
        return None if re.search(loose, self.doc_text) else phrase

    def topic(self, scored: Scored) -> list[str]:
        """The question's topic words to find beside a figure or measure. Words the plan never uses
        give way to the plan's terms for them (物价 -> 居民消费价格), when the glossaries know them."""
        if not scored.added:
            return topic_tokens(scored.tokens)
        vocab = self.retriever.bm25.vocab
        return topic_tokens([t for t in scored.tokens if t in vocab] + scored.added)

    def number_statements(self, scored: Scored, pool) -> list[tuple[str, int]]:
        """The clause with the figure, from the best sentences that carry a number on the topic."""
        chinese = is_chinese(scored.question)
        # English: the plan's terms its words translate to (tourism -> 旅游) must stand beside the figure
        topic = self.topic(scored) if chinese else topic_tokens(scored.added)
        # A question in the plan's own words must find its words beside the figure; a colloquial
        # one (most words not in the plan) is matched by meaning, from the best-ranked refs only.
        # (judged on its own words: the terms a glossary adds are alternatives, not all required)
        own = topic_tokens(scored.tokens) if chinese else []
        lexical = bool(own) and self.coverage(own, self.doc_text) >= 0.5
        # beside the figure: the words the plan has at all (a word it never uses is no sentence's),
        # read with its headings when the question names that section or row ("三北"工程攻坚战的防沙
        # 治沙… -> 防沙治沙1500万亩); a figure that shares none of them is no answer (人均寿命 -> not
        # the number of 养老床位)
        known = [t for t in topic if t in self.doc_text]
        named = set(self.retriever.named_by_title(scored.question))
        # 绿色矿山多少座？水土流失治理多少亩？ asks twice: a sentence need answer only one of the parts
        parts = [[t for t in known if t in part] for part in re.split(r"[？?；;。!！]", scored.question)]
        parts = [p for p in parts if p] or [known]
        out, first_covered = [], 0.0
        for _, i in pool[:12]:
            passage = self.retriever.passages[i]
            sentence = passage.text.strip()
            if not has_figure(sentence):
                continue
            read = passage.embed_text if passage.ref in named or not chinese else sentence
            covered = max(self.coverage(part, read) for part in parts) if known else 0.0
            if (lexical and covered < MIN_FIGURE_COVERAGE) or (topic and covered == 0):
                continue
            same_ref = out and self.retriever.passages[out[0][1]].ref == self.retriever.passages[i].ref
            if out and not (same_ref or (topic and covered >= first_covered)):
                continue  # a second figure from elsewhere only when it answers the question's words as fully
            out.append((self.figure_statement(sentence, topic), i))
            first_covered = first_covered or covered
            if len(out) == 2:
                break
        return out

    def figure_statement(self, sentence: str, topic: list[str]) -> str:
        """A short sentence whole (a 专栏 target line); in a long one, the clause with the figure."""
        if len(sentence) <= SHORT_SENTENCE:
            return sentence
        clauses = [c for c in split_clauses(sentence) if has_figure(c)]
        best = max(clauses, key=lambda c: (self.coverage(topic, c), -len(c)))
        return best.strip().rstrip("。；") + "。"

    def list_statements(self, pool, refs: list[str], topic: list[str]) -> list[tuple[str, int]]:
        """Measures from the best-ranked ref, then any clearly stronger sentence of the others.
        A section's heading sentence ("（一）加强文化遗产保护传承。") is not a measure."""
        passages = self.retriever.passages
        pool = [(s, i) for s, i in pool if not HEADING_SENTENCE.match(passages[i].text.strip())]
        if not pool:
            return []
        top_ref = refs[0]
        own = [(s, i) for s, i in pool if passages[i].ref == top_ref]
        best_own = own[0][0] if own else pool[0][0]
        on_topic = [(s, i) for rank, (s, i) in enumerate(own) if rank < MIN_OWN_BULLETS or s >= best_own - 0.06
                    or (topic and any(t in passages[i].text for t in topic))]
        chosen = on_topic[:5]
        # a sentence of another ref joins when nearly as relevant, or when it names every topic word the
        # plan uses ("哪几个国家级零碳园区要建": the 专栏 row that lists them)
        known = [t for t in topic if t in self.retriever.bm25.vocab]
        chosen += [(s, i) for s, i in pool if passages[i].ref != top_ref and (
            s >= best_own - OTHER_REF_MARGIN or (len(known) >= 2 and all(t in passages[i].text for t in known)))][:2]
        chosen.sort(key=lambda si: (refs.index(passages[si[1]].ref), si[1]))
        return [(passages[i].text.strip(), i) for _, i in chosen][:MAX_BULLETS]

    def answer(self, question: str, scored: Scored, hits: list[Hit]) -> Answer:
        kind = question_kind(question)
        refs = [h.ref for h in hits[:POOL_REFS]]
        reason = None if hits else "问题为空或无法检索"
        reason = reason or self.refusal_reason(question, scored, kind)
        facts = self.doc_fact(question) if hits else []
        if facts:
            return self.compose_facts(question, facts, hits)
        pool = self.sentence_pool(scored, refs) if hits else []
        statements: list[tuple[str, int]] = []
        missing = self.missing_indicator(question) if reason is None and kind == "number" else None
        if missing:
            reason = f"计划原文没有给出“{missing}”的数字"
        if reason is None:
            statements = self.number_statements(scored, pool) if kind == "number" else self.list_statements(
                pool, refs, self.topic(scored))
            if kind == "number" and not statements:
                reason = "计划原文没有给出这一数字"
        if reason:
            return self.refusal(question, reason, hits)
        return self.compose(question, statements, hits)

    def compose(self, question: str, statements: list[tuple[str, int]], hits: list[Hit]) -> Answer:
        by_ref: dict[str, list[str]] = {}
        lines = []
        for text, i in statements:
            passage = self.retriever.passages[i]
            lines.append(f"- {text} [{passage.ref}]")
            by_ref.setdefault(passage.ref, []).append(passage.text.strip())
        citations = [self.citation(ref, quotes) for ref, quotes in by_ref.items()]
        body = lines[0][2:] if len(lines) == 1 else "\n".join(lines)
        return Answer(question, body, citations, refused=False, mode="extractive", hits=hits)

    def compose_facts(self, question: str, facts: list[tuple[str, str]], hits: list[Hit]) -> Answer:
        text = "\n".join(f"{statement} [{ref}]" for statement, ref in facts)
        citations = [self.citation(ref, [statement]) for statement, ref in facts]
        return Answer(question, text, citations, refused=False, mode="extractive", hits=hits)

    def citation(self, ref: str, quotes: list[str]) -> Citation:
        node = self.doc.by_ref[ref]
        return Citation(ref, node.title, node.text, tuple(dict.fromkeys(quotes)))

    def refusal(self, question: str, reason: str, hits: list[Hit]) -> Answer:
        related = "；".join(f"[{h.ref}] {h.title}" for h in hits[:3])
        text = f"{REFUSAL}（{reason}）" + (f"\n相关内容：{related}" if related else "")
        return Answer(question, text, [], refused=True, mode="extractive", hits=hits)
