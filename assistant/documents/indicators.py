"""One key per indicator across wordings (assistant/data/indicator_names.tsv), so that targets of
different documents line up: 地区生产总值增长 / 全省地区生产总值增长 / 经济增长 / GDP -> 地区生产总值增长.

    >>> indicator_key("全省地区生产总值增长"), indicator_key("新增城镇就业"), indicator_key("单位地区生产总值能耗比2020年下降")
    ('地区生产总值增长', '城镇新增就业', '单位地区生产总值能耗降低')
    >>> known_indicator("经济增长"), known_indicator("新建高标准农田")
    (True, False)
    >>> keys_named("各省GDP增长目标和单位GDP能耗降低目标")
    ['地区生产总值增长', '单位地区生产总值能耗降低']
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

# the scope a document states its own figures for: 全省, 全区, 全自治区, 全市, 我省, 今年, 全年…
# a base of comparison inside the name (单位地区生产总值能耗比2020年下降 -> 单位地区生产总值能耗下降), and
# the word 目标 after it (经济增长预期目标 -> 经济增长)
_BASE = re.compile(r"(?:比|较)(?:(?:19|20)\d{2}年|上年|去年)|同比|(?:预期)?目标$")
_SCOPE = re.compile(r"^(?:全(?:自治区|省|区|市|州|盟|县|国)|我(?:省|区|市|州)|本(?:省|区|市)|今年|全年)+")


@cache
def _synonyms() -> dict[str, str]:
    out = {}
    for row in files("assistant.data").joinpath("indicator_names.tsv").read_text("utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        key, _, words = row.partition("\t")
        for word in [key, *words.split()]:
            out[_plain(word)] = key
    return out


def _plain(name: str) -> str:
    return re.sub(r"\s+", "", name).upper()


def strip_scope(indicator: str) -> str:
    name = _BASE.sub("", indicator.strip())
    return _SCOPE.sub("", name) or name


def indicator_key(indicator: str) -> str:
    """The key an indicator is compared under: its listed name, else itself with the scope word taken off."""
    name = strip_scope(indicator)
    return _synonyms().get(_plain(name), name)


def known_indicator(indicator: str) -> bool:
    return _plain(strip_scope(indicator)) in _synonyms()


def indicator_keys() -> list[str]:
    """The listed keys, in the order of the data file (the order a comparison table shows them in)."""
    return list(dict.fromkeys(_synonyms().values()))


def keys_named(text: str) -> list[str]:
    """Every listed indicator a question names, in the order it names them; a wording inside a longer
    one found first is no mention of its own (GDP of 单位GDP能耗降低)."""
    plain = _plain(text)
    taken = [False] * len(plain)
    found = []
    for word in sorted(_synonyms(), key=len, reverse=True):
        start = plain.find(word)
        while start >= 0:
            if not any(taken[start:start + len(word)]):
                taken[start:start + len(word)] = [True] * len(word)
                found.append((start, _synonyms()[word]))
            start = plain.find(word, start + 1)
    return list(dict.fromkeys(key for _, key in sorted(found)))
