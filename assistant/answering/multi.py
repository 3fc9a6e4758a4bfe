"""Multi-part questions ("粮食产量和奶产量分别是多少", "目标是什么，有哪些举措"): split into parts, each
answered with its own evidence; a part the plan has no answer for is said so for that part only.

    >>> split_question("今年粮食产量和奶产量分别是多少？")
    ['今年粮食产量是多少？', '奶产量是多少？']
    >>> split_question("稀土产业的目标是什么，有哪些举措？")
    ['稀土产业的目标是什么？', '稀土产业有哪些举措？']
"""

from __future__ import annotations

import re

from .evidence import Evidence
from .words import pattern, words

_ASKS = re.compile(r"多少|哪些|什么|怎么|如何|(?<![好十])几(?![千万百十])|吗|是否|有没有|啥|哪")
MAX_SPLIT_CHARS = 60  # a long personal story with commas is one question, not several
_ASK_TAIL = re.compile(r"(?:的)?(?:目标|任务|是多少|是什么|有哪些|有什么|多少|怎么|如何|几|要求|举措|措施|安排)")
_PAIRS = re.compile(r"(目标|任务|指标)(?:和|与|及|以及)(举措|措施|安排|任务|路径)")


def _subject(segment: str) -> str:
    return _ASK_TAIL.split(segment, maxsplit=1)[0].rstrip("的")


def split_question(text: str) -> list[str]:
    text = text.strip()
    m = re.search("|".join(words("respectively")), text)
    if m:
        head, tail = text[:m.start()], text[m.end():]
        pieces = [p.strip() for p in re.split("|".join(words("multi_join")), head) if p.strip()]
        if len(pieces) >= 2:
            tail = tail.strip() or "是多少？"
            return [p.rstrip("的") + tail.rstrip("？?") + "？" for p in pieces]
    pair = _PAIRS.search(text)
    if pair:
        subject = text[:pair.start()].rstrip("的")
        return [f"{subject}的{pair.group(1)}是什么？", f"{subject}有哪些{pair.group(2)}？"]
    if len(text) > MAX_SPLIT_CHARS:
        return [text]
    pieces = [s.strip() for s in pattern("multi_split").split(text) if s and s.strip()]
    segments, context = [], ""
    for s in pieces:  # a piece that asks nothing is context for the next one ("我是牧民，…有什么补贴")
        if _ASKS.search(s) and len(s) >= 3:
            segments.append(context + s)
            context = ""
        else:
            context += s + "，"
    if len(segments) < 2:
        return [text]
    subject, out = _subject(segments[0]), []
    for s in segments:
        own = _ASK_TAIL.sub("", s)
        if out and len(re.sub(r"[^\u4e00-\u9fff]", "", own)) <= 2:
            s = subject + s
        out.append(s.rstrip("？?") + "？")
    return out


def plan(q, ctx) -> Evidence | None:
    if not q.chinese:
        return None
    subs = split_question(q.standalone)
    if len(subs) < 2:
        return None
    parts = [ctx.plan_part(q.about(s)) for s in subs]
    if all(p.refused for p in parts):
        return None
    return Evidence("multi", parts=parts, facts={"questions": subs}, hits=q.hits)
