"""Follow-ups: "那新能源呢？" after "电力装机目标是多少？" is asked about 新能源 in the frame of the
earlier question. Rule-based here (extractive mode); LLM mode may rewrite with a condense prompt.

    >>> condense("天然气呢？", [{"role": "user", "content": "煤炭产量目标是多少？"}])
    '天然气产量目标是多少？'
"""

from __future__ import annotations

import re
from functools import lru_cache

_FOLLOWUP = re.compile(r"(呢|的呢|怎么样|如何|咋样|又如何)[？?。!！\s]*$|^(那|那么|还有|另外|再说说|再问)|^(what|how) about\b|^and\b",
                       re.I)
_LEAD = re.compile(r"^(那么|那|还有|另外|再说说|再问|what about|how about|and)\s*", re.I)
_TAIL = re.compile(r"(那条|那个|那些|这方面|方面)?(的)?(呢|怎么样|如何|咋样|又如何)?[？?。!！\s]*$")
# words that frame a question rather than name its topic; they are kept when the topic changes
FRAME_WORDS = frozenset("今年 全年 2026 年 全区 自治区 新建 新增 新开工 开工 改造 提升 建设 完成 实现 达到 增长 产量 目标 任务 "
                        "举措 措施 进度 什么 多少 哪些 几 是 要 有 的 和 与 及 呢 吗 "
                        "计划 重点 主要 怎么 如何 what is the how many much target".split())
MAX_FOLLOWUP_CHARS = 16
# a follow-up that asks on its own ("那刚出生的宝宝有啥服务吗？") needs only its lead word dropped
_OWN_QUESTION = re.compile(r"吗|啥|什么|哪|多少|几|怎么|如何|有没有|是否|能否|是不是|\bwhat\b|\bhow\b|\bwhich\b", re.I)


def last_user_question(history: list[dict] | None) -> str | None:
    for turn in reversed(history or []):
        if turn.get("role") == "user" and str(turn.get("content", "")).strip():
            return str(turn["content"]).strip()
    return None


def is_followup(question: str, history: list[dict] | None) -> bool:
    q = question.strip()
    return bool(last_user_question(history)) and len(q) <= MAX_FOLLOWUP_CHARS and bool(_FOLLOWUP.search(q))


@lru_cache(maxsize=1)
def _words():
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def new_topic(question: str) -> str:
    return _TAIL.sub("", _LEAD.sub("", question.strip())).strip()


def condense(question: str, history: list[dict] | None) -> str:
    """A follow-up rewritten as a standalone question; anything else is returned unchanged."""
    if not is_followup(question, history):
        return question
    previous = last_user_question(history)
    topic = new_topic(question)
    if not topic:
        return previous
    if _OWN_QUESTION.search(topic):
        return topic
    words = list(_words().cut(previous))
    # drop the earlier topic: its content words; keep the frame (time, verbs, units, question words)
    frame = "".join(w for w in words if w in FRAME_WORDS or not re.search(r"[\w\u4e00-\u9fff]", w)
                    or w.lower() in FRAME_WORDS)
    frame = re.sub(r"^[“”\"]+", "", frame)
    return f"{topic}{frame}"
