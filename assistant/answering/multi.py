"""Multi-part questions ("粮食产量和奶产量分别是多少", "目标是什么，有哪些举措"): split into parts, each
answered with its own evidence; a part the plan has no answer for is said so for that part only.

    >>> split_question("今年粮食产量和奶产量分别是多少？")
    ['今年粮食产量是多少？', '奶产量是多少？']
    >>> split_question("稀土产业的目标是什么，有哪些举措？")
    ['稀土产业的目标是什么？', '稀土产业有哪些举措？']
"""

from __future__ import annotations

import re

from ..intent import question_kind
from .evidence import Evidence
from .words import pattern, words

_ASKS = re.compile(r"多少|哪些|什么|怎么|如何|(?<![好十])几(?![千万百十])|吗|是否|有没有|啥|哪")
MAX_SPLIT_CHARS = 60  # a long personal story with commas is one question, not several
MAX_TOPIC_CHARS = 8  # an unmarked last piece longer than this is a remark, not a topic ("奶产量")
MAX_ASKED_CHARS = 150  # but two or more question marks are two or more questions
_ASK_TAIL = re.compile(r"(?:的)?(?:目标|任务|是多少|是什么|有哪些|有什么|多少|怎么|如何|几|要求|举措|措施|安排)")
_PAIRS = re.compile(r"(目标|任务|指标)(?:和|与|及|以及)(举措|措施|安排|任务|路径)")


def _subject(segment: str) -> str:
    return _ASK_TAIL.split(segment, maxsplit=1)[0].rstrip("的")


def subject_phrase(question: str) -> str:
    """What a question asks about, without its frame: "托育补贴今年怎么安排？" -> 托育补贴."""
    from .places import core

    return core(_subject(question), "yesno_frame")


def _joined(text: str, doc_text: str) -> list[str]:
    """"粮食产量和奶产量是多少" -> both: a subject of two names the plan has apart, never together
    (生态保护和修复 stays whole; 呼和浩特 has no two-character sides)."""
    subject = _subject(text)
    pieces = [p for p in pattern("multi_join").split(subject) if p]
    if len(pieces) < 2 or subject in doc_text or not all(len(p) >= 2 and p in doc_text for p in pieces):
        return []
    tail = text[len(subject):].strip() or "是多少？"
    return [p + tail.rstrip("？?") + "？" for p in pieces]


def _completed(segment: str, first: str) -> str:
    """An elliptical part ("奶产量呢", "还有城镇新增就业") asked the way the first part asks: a figure
    ("粮食产量目标是多少" -> "奶产量目标是多少？") or in its words ("托育怎么安排" -> "养老怎么安排？")."""
    topic = pattern("ellipsis_tail").sub("", pattern("ellipsis_lead").sub("", segment)).strip()
    frame = first[len(_subject(first)):].strip("，,？? ")
    if question_kind(first) == "number":
        frame = "是多少" if _ASK_TAIL.match(topic[-2:]) or not frame.startswith(("目标", "的目标")) else frame
    return (topic + (frame or "是多少")).rstrip("？?") + "？"


def _elliptical(segment: str) -> bool:
    return bool(pattern("ellipsis_lead").search(segment)) or segment.rstrip("？?。 ").endswith("呢")


def _topic(piece: str, text: str) -> bool:
    """A piece after a question that is a topic to ask the same of ("…是多少？奶产量？", "…、医疗保险参保率，
    …呢"): not a sentence of its own ended by 。 or ！ ("我们这边很多人关心。"), nor a long unmarked end."""
    at = text.find(piece) + len(piece)
    rest = text[at:].lstrip()
    if rest[:1] in ("。", "！", "!", "."):
        return False
    return bool(rest) or len(piece) <= MAX_TOPIC_CHARS


def split_question(text: str, doc_text: str = "") -> list[str]:
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
    if len(text) > (MAX_SPLIT_CHARS if text.count("？") + text.count("?") < 2 else MAX_ASKED_CHARS):
        return [text]
    pieces = [s.strip() for s in pattern("multi_split").split(text) if s and s.strip()]
    segments, context, completed = [], "", set()
    for s in pieces:  # a piece that asks nothing is context for the next one ("我是牧民，…有什么补贴")
        if segments and (_elliptical(s) or (not _ASKS.search(s) and _topic(s, text))):  # "…是多少，以及肉类产量？"
            segments.append(_completed(s, segments[0]))
            completed.add(len(segments) - 1)
        elif segments and not _ASKS.search(s):
            continue  # a remark after the question ("…吗？我们这边很多人关心。") asks nothing of its own
        elif _ASKS.search(s) and len(s) >= 3:
            segments.append(context + s)
            context = ""
        else:
            context += s + "，"
    if len(segments) < 2:
        return _joined(text, doc_text) if doc_text else [text]
    subject, out = _subject(segments[0]), []
    for n, s in enumerate(segments):
        own = _ASK_TAIL.sub("", s)
        if out and n not in completed and len(re.sub(r"[^\u4e00-\u9fff]", "", own)) <= 2:
            s = subject + s
        out.append(s.rstrip("？?") + "？")
    return out


def plan(q, ctx) -> Evidence | None:
    if not q.chinese:
        return None
    subs = split_question(q.standalone, ctx.doc_text)
    if len(subs) < 2:
        return None
    parts = [ctx.plan_part(q.about(s)) for s in subs]
    if all(p.refused for p in parts):
        return None
    return Evidence("multi", parts=parts, facts={"questions": subs}, hits=q.hits)
