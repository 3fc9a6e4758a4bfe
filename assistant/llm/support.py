"""Is a statement of an LLM answer supported by the paragraphs it cites? A character-overlap score.

Chinese: the share of the statement's character bigrams that occur in the cited text, counted after
markers, digits, punctuation and connecting words (data file `llm_support.json`) are removed; the
bigrams are taken inside each remaining run of characters, so no bigram spans a removed word.

    >>> source = "煤炭产量稳定在12.5亿吨以上。加快蒙西电网智能化改造。"
    >>> round(support("煤炭产量将稳定在12.5亿吨以上 [四(一)]", source), 2)
    1.0
    >>> support("今年起全区煤矿全部关停", source)
    0.0

English (a statement with fewer than MIN_CHINESE Chinese characters): the share of the plan terms
it carries (the glossary's terms of its English words, Chinese terms, figures) that the cited text
has; a statement with content words but no plan term or figure at all scores 0.

A statement that uses a claim word ("关停", "取消", "已经", "shut down" …) whose group has no word in
the cited text scores 0 whatever its overlap: "停止蒙西电网智能化改造" is mostly the plan's wording.

THRESHOLD was chosen on eval/llm_support.tsv: 75 faithful paraphrases (71 Chinese, 3 English, one
lead-in) and 48 invented claims (topics the paragraph never raises, negations of what it says,
commentary, injected instructions, recombinations of its own words), written from the real plan;
`python scripts/llm_support.py --rows` prints them with their scores. Overlap of the Chinese ones:
    faithful:  min 0.62, 10th percentile 0.80, median 1.00
    invented:  median 0.18, 90th percentile 0.72 (negations keep the paragraph's words), max 0.83;
               those without a claim word (14): median 0.12, two above 0.4 (0.71, 0.83)
    threshold   faithful passing   invented falling back (overlap alone | with claim words)
      0.5            75/75               36/48 | 46/48
      0.6            75/75               38/48 | 46/48     <- THRESHOLD: the highest that keeps
      0.7            74/75               40/48 | 46/48        every faithful paraphrase
      0.8            69/75               43/48 | 47/48
The two claims that pass are recombinations of the paragraph's own words ("在呼伦贝尔建设国家级零碳
园区" cites a paragraph naming 呼伦贝尔 and 零碳园区 in other sentences; "包鄂榆高铁今年建成通车"):
character overlap cannot see a new relation between words the paragraph has. English statements are
checked only through their plan terms, figures and claim words (ENGLISH_THRESHOLD).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import cache
from importlib.resources import files

THRESHOLD = 0.6
ENGLISH_THRESHOLD = 0.5  # an English statement carries few plan terms: half of them found
MIN_GRAMS = 2  # a statement with fewer content bigrams ("具体如下：") claims nothing to check
MIN_CHINESE = 4  # fewer Chinese characters than this: an English statement
MARKER = re.compile(r"\[[^\[\]\n]{1,60}\]")
CHINESE_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")

# markup a model may send that must never reach a page: whole script/style elements, comments, tags,
# markdown images, markdown links to an address (their text stays), bare addresses
_SCRIPT = re.compile(r"<(script|style|iframe|object|embed|template)\b.*?(?:</\1\s*>|$)", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_TAG = re.compile(r"</?[A-Za-z!][^<>]*(?:>|$)|</?$")  # "$": a tag still arriving in a stream
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!?\[[^\[\]\n]*\]\([^)\n]*$|!\[[^\]\n]*$")  # $: still arriving
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*(?:[a-z][a-z0-9+.-]*:|//|www\.|/)[^)\n]*\)", re.I)
_URL = re.compile(r"(?:https?|ftp|javascript|data|file|vbscript):[^\s<>\]）)]*|www\.[^\s<>\]）)]+", re.I)


@cache
def _words() -> dict:
    return json.loads(files("assistant.data").joinpath("llm_support.json").read_text("utf-8"))


@cache
def _connectives() -> re.Pattern:
    words = sorted(_words()["connectives"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@cache
def _claims() -> list[tuple[tuple[str, ...], re.Pattern]]:
    out = []
    for group in _words()["claims"]:
        alternatives = [re.escape(w) for w in group["zh"]] + [rf"\b{re.escape(w)}\b" for w in group["en"]]
        out.append((tuple(group["zh"]), re.compile("|".join(alternatives), re.I)))
    return out


def strip_markup(text: str) -> str:
    """The text without HTML or markdown that points elsewhere; a half-sent tag at the end goes too.

    >>> strip_markup('<script>alert(1)</script>粮食<b>产量</b>![x](http://a/b.png)[详见](https://x.cn)')
    '粮食产量详见'
    """
    text = html.unescape(text)
    for pattern in (_SCRIPT, _COMMENT, _IMAGE):
        text = pattern.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    return _URL.sub("", text)


def content_bigrams(statement: str) -> set[str]:
    """The statement's character bigrams, without markers, digits, punctuation and connecting words:

    >>> sorted(content_bigrams("计划提出，煤炭产量要稳定在12.5亿吨以上 [四(一)]"))
    ['产量', '亿吨', '以上', '吨以', '炭产', '煤炭']
    """
    s = _connectives().sub(" ", unicodedata.normalize("NFKC", MARKER.sub(" ", statement)))
    return {run[i:i + 2] for run in CHINESE_RUN.findall(s) for i in range(len(run) - 1)}


def _english_items(statement: str, source: str) -> tuple[int, int]:
    """(plan terms and figures the statement carries, how many of them the source has)."""
    from ..retrieval.lexical import english_groups
    from .check import numbers, states

    groups = [g for g in english_groups(statement) if g]
    chinese = CHINESE_RUN.findall(statement)
    figures = numbers(statement)
    found = (sum(any(t in source for t in g) for g in groups) + sum(c in source for c in chinese)
             + sum(states(f, source) for f in figures))
    return len(groups) + len(chinese) + len(figures), found


def is_english(statement: str) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", statement)) < MIN_CHINESE


def _english_content(statement: str) -> list[str]:
    stop = set(_words()["english_stopwords"])
    return [w for w in re.findall(r"[a-z]+", statement.lower()) if w not in stop and len(w) > 1]


def unclaimed(statement: str, source: str) -> str | None:
    """The claim word of `statement` whose group has no word in `source` ("关停" in "全区煤矿全部关停"
    against a paragraph that never says 关停/关闭/停产), else None."""
    for words, pattern in _claims():
        m = pattern.search(statement)
        if m and not any(w in source for w in words):
            return m.group()
    return None


def overlap(statement: str, source: str) -> float | None:
    """The share of the statement's plan wording the source has (0..1), None when it claims nothing
    to check (fewer than MIN_GRAMS content bigrams, or English without content words)."""
    if is_english(statement):
        if not _english_content(statement):
            return None
        carried, found = _english_items(statement, source)
        return found / carried if carried else 0.0
    grams = content_bigrams(statement)
    if len(grams) < MIN_GRAMS:
        return None
    return sum(g in source for g in grams) / len(grams)


def support(statement: str, source: str) -> float | None:
    """overlap(), or 0 for a statement with an unclaimed claim word. `source` is the cited text,
    NFKC-normalized (the statement is normalized here)."""
    statement = unicodedata.normalize("NFKC", MARKER.sub(" ", statement))
    return 0.0 if unclaimed(statement, source) else overlap(statement, source)


def supported(statement: str, source: str) -> bool:
    score = support(statement, source)
    return score is None or score >= (ENGLISH_THRESHOLD if is_english(statement) else THRESHOLD)
