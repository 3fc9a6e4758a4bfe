"""The word lists that tell what a question asks (assistant/data/question_words.json), loaded in one
place. Each entry is a regular-expression alternative; most are plain words.

    >>> bool(pattern("live_info").search("明天呼和浩特天气怎么样")), bool(pattern("live_info").search("粮食产量"))
    (True, False)
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files


@cache
def _all() -> dict:
    return json.loads(files("assistant.data").joinpath("question_words.json").read_text("utf-8"))


def words(name: str, sub: str | None = None) -> list[str]:
    value = _all()[name]
    return list(value[sub] if sub else value)


def groups(name: str) -> dict[str, list[str]]:
    """A list split by what it names: {"truefalse": [...], "choice": [...]}."""
    return dict(_all()[name])


@cache
def pattern(name: str, sub: str | None = None) -> re.Pattern:
    return re.compile("|".join(f"(?:{w})" for w in words(name, sub)), re.I)


@cache
def patterns(name: str) -> tuple[re.Pattern, ...]:
    """Each entry of a list compiled alone, in order: readings tried one after another, each with its
    own groups (the subject of "跟机场有关的…", of "提到了氢能的地方" …)."""
    return tuple(re.compile(w, re.I) for w in words(name))
