"""Grading a response: the spellings of a right answer that count (full-width, commas, letters, 对/错)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from .questions import FALSE, TRUE, Question

_TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "true", "t", "yes", "y", "是", "right"}
_FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "x", "false", "f", "no", "n", "否", "wrong", "不对"}
_LETTER = re.compile(r"^([a-h])[.、)）:：]?$")
_AMOUNT = re.compile(r"^(?:约|超过|达到)?(\d+(?:\.\d+)?)(.*?)(?:以上|左右|以下|以内)?$")


def _normalize(s: str) -> str:
    """Full-width to half-width, no spaces, no thousands commas, no end punctuation."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).lower()
    return re.sub(r"(?<=\d),(?=\d{3})", "", s).rstrip("。!！")


_MAGNITUDES = ("万亿", "亿", "万")


def _same_amount(response: str, answer: str) -> bool:
    """ "4,000 万亩", "4000万" and "4000" match "4000万亩"; "400万亩", "40000万亩", "4000亩" and "4000亿"
    do not. The unit may be left out, or given as its magnitude alone (100亿 for 100亿元): every figure
    question asks for one figure with one unit, so the number and its 万/亿 say it all."""
    got, want = _AMOUNT.match(_normalize(response)), _AMOUNT.match(_normalize(answer))
    if not (got and want and Decimal(got[1]) == Decimal(want[1])):
        return False
    unit, wanted = got[2], want[2]
    return unit in ("", wanted) or (unit in _MAGNITUDES and wanted.startswith(unit)
                                    and not wanted.startswith(tuple(m for m in _MAGNITUDES if len(m) > len(unit))))


def grade(question: Question, response: str) -> bool:
    """Whether `response` is a right answer to `question`. Accepted, for an answer "4000万亩":
    "4000万亩", "4,000万亩", "4000 万亩", "４０００万亩", "4000" (and "B", "b", "B." or the choice text
    when it is choice B); rejected: "400万亩", "40000万亩", "4000亩". True/false takes 对/错,
    正确/错误, √/×, true/false. A "where" question also takes the part or column ref ("四", "专栏2")."""
    r = _normalize(response or "")
    if question.kind == "truefalse":
        said = TRUE if r in _TRUE_WORDS else FALSE if r in _FALSE_WORDS else None
        return said == question.answer
    if question.kind == "fill":
        return _same_amount(response, question.answer)
    m = _LETTER.match(r)
    if m and "abcdefgh".index(m.group(1)) < len(question.choices):
        return question.choices["abcdefgh".index(m.group(1))] == question.answer
    for choice in question.choices:
        if r in (_normalize(choice), _normalize(re.split(r"[、 ]", choice, maxsplit=1)[0])):
            return choice == question.answer
    return question.kind == "choice" and _same_amount(response, question.answer)
