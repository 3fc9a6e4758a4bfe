"""BM25 over jieba tokens, with the plan's own terms in the dictionary and stopwords removed.

The tokenizer is a parameter: production uses `JiebaTokenizer`, a unit test can pass `list`
(one token per character) and check scores by hand.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from importlib import resources

import numpy as np

STOPWORDS = frozenset(
    """的 了 和 与 及 以及 或 是 在 有 为 对 把 将 要 等 各 其 之 也 都 而 并 还 又 就 从 到 由 被 给
    哪些 哪个 哪几个 哪几 几个 哪 多少 什么 如何 怎么 怎样 怎么样 请问 请 吗 呢 么 吧 啊 呀 一下 一些 这 那 这个 那个 这些 那些
    方面 关于 有关 相关 主要 具体 情况 内容 问题 工作 提到 提出 说 讲 告诉 我 我们 你 您 他们 今年 明年 打算 准备 希望 想要
    目标 任务 举措 措施 计划 规划 多 少 几 个 是否 能否 可以 可 会 如何 啥 哪里 哪儿 里 中 上 下 年
    the a an of to in for on and or is are was what which how many much does do did be by with as at""".split()
)
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")
_QUOTED = re.compile(r"[“\"《]([^”\"》]{2,12})[”\"》]")


# words every target sentence shares: they say nothing about *which* target a question means
GENERIC = frozenset("增长 提高 提升 达到 完成 实现 预期 全区 今年 年度 2026 内蒙古 自治区 我区 政府 计划 目标 新增 力争 以上 左右 超过 稳定 "
                    "要 推进 推动 加快 实施 开展 建设 工作 方面 主要 重点 控制 保持 水平 plan target growth inner mongolia".split())
def topic_tokens(tokens: list[str]) -> list[str]:
    """Content words of a question, longest forms only: jieba's search mode gives 城镇, 城镇化 and
    城镇化率 for 城镇化率; only 城镇化率 must be found for the question to be covered. Generic words
    go with their pieces (内蒙古 takes 内蒙 and 蒙古 along), and so do single characters (区, 想, 才)."""
    words = list(dict.fromkeys(t for t in tokens if not t.isdigit()))
    longest = [w for w in words if not any(w != o and w in o for o in words)]
    return [w for w in longest if w not in GENERIC and len(w) > 1]


def coverage(topic: list[str], text: str, bm25: BM25) -> float:
    """IDF-weighted share of the topic words found in `text`: missing a rare word (森林) counts
    more than missing a common one (规模); a word the plan never uses weighs most."""
    if not topic:
        return 1.0
    top = float(bm25.idf.max()) if len(bm25.idf) else 1.0
    weights = [float(bm25.idf[bm25.vocab[t]]) if t in bm25.vocab else top for t in topic]
    text = text.lower()
    return sum(w for t, w in zip(topic, weights, strict=True) if t in text) / sum(weights)


def _pairs(name: str) -> dict[str, tuple[str, ...]]:
    """A bundled table `key<TAB>plan terms separated by spaces`; `#` lines are comments."""
    text = resources.files("assistant.data").joinpath(name).read_text(encoding="utf-8")
    rows = (ln.split("\t", 1) for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    return {key.strip().lower(): tuple(terms.split()) for key, terms in rows}


GLOSSARY = _pairs("glossary.tsv")  # English word or phrase -> the plan's terms ("high school" -> 高中)
EVERYDAY = _pairs("colloquial.tsv")  # everyday Chinese phrase -> the plan's terms (找工作 -> 就业)
SYNONYMS = _pairs("synonyms.tsv")  # a plan term -> the other words the plan uses for the same subject (黄河 -> 沿黄)
INDICATORS_EN = _pairs("indicators_en.tsv")  # English indicator -> its Chinese names, in this document or not


def _plurals(key: str) -> list[str]:
    """high school -> high schools; factory -> factories; box -> boxes."""
    forms = [key, key + "s", key + "es"]
    return forms + [key[:-1] + "ies"] if key.endswith("y") else forms


_FORMS = {form: key for key in GLOSSARY for form in _plurals(key)}
_ENGLISH = re.compile("(?<![a-z])(" + "|".join(map(re.escape, sorted(_FORMS, key=len, reverse=True))) + ")(?![a-z])")


def english_terms(question: str) -> list[str]:
    """The plan's terms for the English words and phrases of a question, singular or plural."""
    found = (GLOSSARY[_FORMS[m.group(1)]] for m in _ENGLISH.finditer(question.lower()))
    return list(dict.fromkeys(t for terms in found for t in terms))


def english_spans(text: str) -> tuple[list[tuple[str, ...]], str]:
    """The glossary phrases of an English text, each with its plan terms, and the text left over:
    "hydrogen energy storage" -> [(氢能, 绿氢), (能源,), (储能,)], ""."""
    low = text.lower()
    spans = [GLOSSARY[_FORMS[m.group(1)]] for m in _ENGLISH.finditer(low)]
    return spans, _ENGLISH.sub(" ", low)


def english_groups(text: str) -> list[tuple[str, ...]]:
    """The plan's terms for each English word or phrase of `text`, one tuple per phrase found:
    "Coal and grain output" -> [("煤炭",), ("粮食",)]; a key without terms gives an empty tuple."""
    return english_spans(text)[0]


def plan_words(question: str) -> list[str]:
    """The plan's own terms for what a question says in other words: English ("high school" -> 高中)
    and everyday Chinese ("找份活干" -> 就业). BM25 then matches a question the plan words differently."""
    everyday = (t for phrase, terms in EVERYDAY.items() if phrase in question for t in terms)
    return list(dict.fromkeys([*english_terms(question), *everyday]))


def plan_terms(texts: Iterable[str], labels: Iterable[str] = ()) -> set[str]:
    """Terms to keep whole: quoted names (“三北” -> 三北, 《…》 titles), 专栏 labels, the bundled list,
    the glossaries' terms."""
    terms = set()
    for text in texts:
        terms.update(m.group(1) for m in _QUOTED.finditer(text))
    terms.update(labels)
    bundled = resources.files("assistant.data").joinpath("terms.txt").read_text(encoding="utf-8")
    terms.update(ln.strip() for ln in bundled.splitlines() if ln.strip() and not ln.startswith("#"))
    # the terms the glossaries translate to must be whole words in the plan too (原绒, 林长制)
    terms.update(t for table in (GLOSSARY, EVERYDAY) for words in table.values() for t in words)
    return {t for t in terms if 2 <= len(t) <= 12}


class JiebaTokenizer:
    """jieba search-mode cut (whole words plus their sub-words) with the plan's terms added."""

    def __init__(self, terms: Iterable[str] = ()):
        import jieba

        jieba.setLogLevel(60)
        self._tok = jieba.Tokenizer()
        self._lock = threading.Lock()
        with self._lock:
            self._tok.initialize()
            for term in sorted(terms):
                self._tok.add_word(term, freq=20000)

    def __call__(self, text: str) -> list[str]:
        return [t for t in (w.strip().lower() for w in self._tok.cut_for_search(text)) if keep_token(t)]

    def words(self, text: str) -> list[str]:
        """The precise cut (each character in one word), stopwords kept: 房地产税 -> 房地产税."""
        return [w for w in (w.strip() for w in self._tok.cut(text)) if w]


def keep_token(token: str) -> bool:
    return bool(token) and token not in STOPWORDS and bool(_TOKEN_OK.search(token))


class BM25:
    """Okapi BM25 over pre-tokenised documents, scored by `bm25s` on a sparse matrix (made for corpora
    many times one plan: a library of documents). `vocab` and `idf` (the Lucene form, as bm25s scores
    with it) serve the coverage of a question's words; scores keep the textbook scale (×(k1+1)).

    >>> bm = BM25([["稀土", "产业"], ["稀土"], ["乳业"]])
    >>> [round(float(s), 3) for s in bm.scores(["稀土", "产业"])], bm.scores(["无此词"]).tolist()
    ([1.184, 0.53, 0.0], [0.0, 0.0, 0.0])
    """

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
        import bm25s

        self.vocab = {t: i for i, t in enumerate(sorted({t for d in docs for t in d}))}
        df = Counter(t for d in docs for t in set(d))
        self.idf = np.array([np.log(1 + (len(docs) - df[t] + 0.5) / (df[t] + 0.5)) for t in self.vocab],
                            dtype=np.float32)
        self._n, self._scale = len(docs), k1 + 1
        self._index = bm25s.BM25(method="lucene", k1=k1, b=b)
        if docs:
            self._index.index([d or [""] for d in docs], show_progress=False)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self.vocab]
        if not known:
            return np.zeros(self._n, dtype=np.float32)
        return (self._index.get_scores(known) * self._scale).astype(np.float32)


def build_bm25(texts: list[str], tokenize: Callable[[str], list[str]]) -> BM25:
    return BM25([tokenize(t) for t in texts])


__all__ = ["BM25", "EVERYDAY", "GENERIC", "GLOSSARY", "JiebaTokenizer", "english_terms", "plan_words", "STOPWORDS", "build_bm25", "coverage", "keep_token", "plan_terms",
           "topic_tokens"]
