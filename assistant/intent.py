"""What a question asks for, and whether a text states a figure: shared by the retriever (which
ranks figure-bearing passages for figure questions) and the answerer (which quotes them).

    >>> question_kind("粮食产量目标是多少？"), question_kind("稀土产业有哪些举措？"), question_kind("规模小，贷款难怎么办")
    ('number', 'list', 'list')
    >>> has_figure("2026年是“十五五”开局之年"), has_figure("按照“1571”工作部署"), has_figure("新建绿色矿山50座")
    (False, False, True)
"""

from __future__ import annotations

import re

NUMBER_Q = re.compile(r"多少|多长|多大|多高|多远|(?<!哪)几[个项座条家所万亿%]|百分之|(?:比例|比重|增速|增幅|规模|数量|目标值|率)(?![小低慢少不太])|文号|号|日期|哪天|何时|"
                      r"how (?:many|much)|what(?:'s| is| are) (?:the )?.*(?:target|rate|number)|\btargets? for\b|\bnumber\b|\bpercent", re.I)
LIST_Q = re.compile(r"哪些|举措|措施|怎么|如何|怎样|安排|做什么|部署|要求|打算|说法|什么|which|what does|how will|measures", re.I)
# "how much/big/long…": asks for a figure and is not part of the thing asked about (多大面积 -> 面积)
HOW_MUCH = re.compile(r"多[少大长高远]")
_NOT_A_FIGURE = re.compile(r"(?<!\d)20\d\d年|“[^”]{0,12}”|^\d+[.．]")


def has_figure(text: str) -> bool:
    """A number that states a quantity: years (2026年), quoted names (“十五五”, “1571”工作部署), list
    numbers (1.) don't."""
    return bool(re.search(r"[\dⅠⅡⅢⅣⅤ]", _NOT_A_FIGURE.sub("", text)))


def question_kind(question: str) -> str:
    if NUMBER_Q.search(question) and not re.search(r"哪些|哪几|举措|措施|怎么|如何", question):
        return "number"
    return "list" if LIST_Q.search(question) else "open"


def without_how_much(question: str) -> str:
    """多大面积 -> ，面积: jieba would otherwise cut 大面积 as one word."""
    return HOW_MUCH.sub("，", question)


def is_chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))
