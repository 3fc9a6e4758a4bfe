"""Figure questions ("粮食产量目标是多少？"): the clause with the figure, from the best sentences that
carry a number on the question's topic. A target the plan states in words (居民收入增长与经济增长同步)
is the answer to a figure question too; an indicator the plan never names is refused by name."""

from __future__ import annotations

import re

from ..intent import has_figure, without_how_much
from ..retrieval.lexical import EVERYDAY, GENERIC, INDICATORS_EN, STOPWORDS, topic_tokens
from .evidence import Evidence, Group, refusal
from .words import pattern, words

SHORT_SENTENCE = 60
# a figure answers a question in the plan's own words only if the sentence carries most of them (IDF-weighted)
MIN_FIGURE_COVERAGE = 0.45
POOL_REFS = 4
QUALITATIVE_COVERAGE = 0.99  # a clause in words answers a figure question only if it names all its topic words
# a target in words says where a quantity goes ("与经济增长同步", "保持在合理区间"); "谋划…政策措施" is no target
TARGET_VERB = re.compile(r"同步|保持|稳定|达到|不低于|高于|低于|控制在|完成|实现|确保|提高|提升|增长|下降|优于|持平|翻番|超过|力争")


def split_clauses(sentence: str) -> list[str]:
    """'甲，乙，丙。' -> ['甲', '乙', '丙。'] (the commas go; the clauses stay verbatim)."""
    return [c for c in re.split(r"[，,：:；;]", sentence) if c.strip()]


def _jieba():
    from ..chat import _words

    return _words()


def indicator_phrase(question: str) -> str | None:
    """The indicator a figure question asks about: the word ending in 率/额/收入/投资… with the content
    words right before it.

    >>> indicator_phrase("今年全区森林覆盖率目标是多少？")
    '森林覆盖率'
    """
    suffix = re.compile("(?:" + "|".join(words("indicator_suffix")) + ")$")
    scope = set(words("scope_words"))
    cut = list(_jieba().cut(without_how_much(question)))
    for i in range(len(cut) - 1, -1, -1):
        if suffix.search(cut[i]) and len(cut[i]) >= 2:
            j = i
            while j > 0 and re.fullmatch(r"[\u4e00-\u9fffA-Za-z0-9.]+", cut[j - 1]) \
                    and cut[j - 1] not in GENERIC and cut[j - 1] not in scope and cut[j - 1] not in STOPWORDS:
                j -= 1
            return "".join(cut[j : i + 1])
    return None


def counted_thing(question: str) -> str | None:
    """What a "多少个…" question counts: 今年新建多少个5G基站？ -> 5G基站."""
    counted = re.compile(rf"多少(?:{'|'.join(words('measure_words'))})([\u4e00-\u9fffA-Za-z0-9]{{2,8}}?)"
                         r"(?:[，。？?！!、的呢吗啊]|$)")
    m = counted.search(question)
    return m.group(1) if m else None


def missing_indicator(question: str, doc_text: str) -> str | None:
    """The indicator a figure question names, when the plan never names it. Its words may stand a
    few characters apart (林草产业产值 ~ 林草产业总产值) and a word of three or more characters may
    come without its first (粮食总产量 ~ 粮食产量): the head of a Chinese compound is at its end."""
    asked = phrase = indicator_phrase(question) or counted_thing(question)
    if not phrase or phrase in EVERYDAY:  # 物价: the plan says 居民消费价格
        return None
    # a measure noun (里程, 人数) is how the figure is counted, not what: 国省干线里程 -> 国省干线
    phrase = pattern("measure_noun_tail").sub("", phrase) or phrase
    # everyday words inside it are the plan's in other words (牛奶产量 -> 产量); the rest must stand in the
    # plan (空气质量优良天数比率 -> 优良天数比率 does not)
    for key in sorted((k for k in EVERYDAY if k in phrase), key=len, reverse=True):
        phrase = phrase.replace(key, "")
    if len(phrase) < 2:
        return None
    # its words in this order within one sentence of the plan (牛羊肉交易中心建设，力争交易额)
    loose = "[^。；\n]{0,12}".join(f"(?:{re.escape(w)}|{re.escape(w[1:])})" if len(w) >= 3 else re.escape(w)
                          for w in _jieba().cut(phrase))
    return None if re.search(loose, doc_text) else asked


def figure_statement(ctx, sentence: str, topic: list[str]) -> str:
    """A short sentence whole (a 专栏 target line); in a long one, the clause with the figure."""
    if len(sentence) <= SHORT_SENTENCE:
        return sentence
    clauses = [c for c in split_clauses(sentence) if has_figure(c)]
    best = max(clauses, key=lambda c: (ctx.coverage(topic, c), -len(c)))
    return best.strip().rstrip("。；") + "。"


def number_statements(q, ctx, pool) -> list[tuple[str, int]]:
    """The clause with the figure, from the best sentences that carry a number on the topic."""
    scored = q.scored
    # English: the plan's terms its words translate to (tourism -> 旅游) must stand beside the figure
    # a unit (人次, 万吨) is no subject: sharing it with a sentence says nothing about what is counted
    units = set(words("units"))
    topic = [t for t in (ctx.topic(scored) if q.chinese else topic_tokens(scored.added)) if t not in units]
    # A question in the plan's own words must find its words beside the figure; a colloquial
    # one (most words not in the plan) is matched by meaning, from the best-ranked refs only.
    own = topic_tokens(scored.tokens) if q.chinese else []
    lexical = bool(own) and ctx.coverage(own, ctx.doc_text) >= 0.5
    # beside the figure: the words the plan has at all, read with its headings when the question
    # names that section or row; a figure that shares none of them is no answer
    doc_lower = ctx.doc_text.lower()  # tokens are lowered: pm2.5 of PM2.5
    known = [t for t in topic if t in doc_lower]
    named = set(ctx.retriever.named_by_title(scored.question))
    # 绿色矿山多少座？水土流失治理多少亩？ asks twice: a sentence need answer only one of the parts
    parts = [[t for t in known if t in part] for part in re.split(r"[？?；;。!！]", scored.question.lower())]
    parts = [p for p in parts if p] or [known]
    out, first_covered = [], 0.0
    for _, i in pool[:12]:
        passage = ctx.passages[i]
        sentence = passage.text.strip()
        if not has_figure(sentence):
            continue
        read = passage.embed_text if passage.ref in named or not q.chinese else sentence
        covered = max(ctx.coverage(part, read) for part in parts) if known else 0.0
        if (lexical and covered < MIN_FIGURE_COVERAGE) or (topic and covered == 0):
            continue
        same_ref = out and ctx.passages[out[0][1]].ref == passage.ref
        if out and not (same_ref or (topic and covered >= first_covered)):
            continue  # a second figure from elsewhere only when it answers the question's words as fully
        out.append((figure_statement(ctx, sentence, topic), i))
        first_covered = first_covered or covered
        if len(out) == 2:
            break
    return out


def qualitative_statement(q, ctx, pool) -> list[tuple[str, int]]:
    """A target stated in words: the clause of a top sentence that names every topic word the plan has
    ("居民收入增长目标是多少" -> 居民收入增长与经济增长同步)."""
    known = [t for t in ctx.topic(q.scored) if t in ctx.retriever.bm25.vocab]
    if not known or not q.chinese:
        return []
    for _, i in pool[:6]:
        for clause in split_clauses(ctx.passages[i].text.strip()):
            if ctx.coverage(known, clause) >= QUALITATIVE_COVERAGE and len(clause) <= SHORT_SENTENCE \
                    and TARGET_VERB.search(clause):
                return [(clause.strip().rstrip("。；") + "。", i)]
    return []


TARGET_WORD = re.compile(r"目标|预期|要求")


def english_indicator(question: str, doc_text: str) -> tuple[str, str] | None:
    """(English name, Chinese name) of an indicator an English question asks about that the document
    never names: "fixed-asset investment" -> 固定资产投资 (indicators_en.tsv)."""
    low = question.lower()
    for phrase in sorted(INDICATORS_EN, key=len, reverse=True):
        if phrase in low:
            names = INDICATORS_EN[phrase]
            return None if any(n in doc_text for n in names) else (phrase, names[0])
    return None


def plan(q, ctx) -> Evidence | None:
    asks_target = q.kind != "number" and bool(pattern("asks_target").search(q.standalone))
    if q.kind != "number" and not asks_target:
        return None
    missing = missing_indicator(q.standalone, ctx.doc_text) if q.chinese else None
    if missing:
        return refusal("missing_indicator", q.hits, indicator=missing)
    english = None if q.chinese else english_indicator(q.standalone, ctx.doc_text)
    if english:
        return refusal("missing_indicator", q.hits, indicator=english[1], english=english[0])
    pool = ctx.sentence_pool(q.scored, [h.ref for h in q.hits[:POOL_REFS]])
    statements = number_statements(q, ctx, pool)
    kind = "figure"
    # a target in words answers a question about the target ("居民收入增长目标是多少"), not one asking
    # for an amount the plan does not give ("基础养老金每月涨多少钱")
    if not statements and (asks_target or TARGET_WORD.search(q.standalone)):
        statements, kind = qualitative_statement(q, ctx, pool), "qualitative"
    if not statements:
        return None if asks_target else refusal("no_figure", q.hits)
    return Evidence(kind, groups_of(ctx, statements), hits=q.hits)


def groups_of(ctx, statements: list[tuple[str, int]]) -> list[Group]:
    """(line, passage index) -> one group per ref, the passages' whole sentences as its quotes."""
    groups: dict[str, Group] = {}
    for text, i in statements:
        g = groups.setdefault(ctx.passages[i].ref, Group(ctx.passages[i].ref))
        g.lines.append(text)
        g.quotes.append(ctx.passages[i].text.strip())
    return list(groups.values())
