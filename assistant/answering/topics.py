"""Parts, sections and 专栏 a question names by their subject rather than their number: "科技创新那部分"
-> 八, "生态那部分里水资源那一节" -> 二(三), "十大民生工程到底是哪十个" -> 十三 (its lead paragraph names
them), "农牧业的事" -> 五 (one part's title alone has the word)."""

from __future__ import annotations

import re

_SCOPE_WORD = re.compile(r"(?:那|这|这一|那一)?(?:部分|块|一块|板块|方面|领域|章|章节)")
_TIME_WORDS = re.compile(r"今年|全年|明年|\d{4}年|全区|我区|自治区|计划(?:里|中)?|有关|关于")
_SUB_SCOPE = re.compile(r"(?:那|这|这一|那一)(?:节|栏|条|段)|(?:那|这)?(?:一节|一栏)")
_ASK_WORDS = re.compile(r"哪|几|多少|什么|啥|怎么|如何|吗|呢|讲|说|介绍|数一下|分别|到底|一共|总共|计划|今年|部分|方面|"
                        r"重点|任务|工作|目标|举措|措施|部署|安排|内容")


def topical_scope(text: str, doc) -> str | None:
    """The node whose title (or a part's lead paragraph) holds the subject the question names: the
    longest run of four or more characters of the question found there ("十大民生工程到底是哪十个" ->
    十三, whose lead paragraph names 十大民生工程; "科技创新那部分" -> 八)."""
    if not re.search(r"[\u4e00-\u9fff]", text):  # English: the plan's terms for its words (agriculture -> 农牧业)
        from ..retrieval.lexical import english_terms

        if not re.search(r"\b(?:part|section|chapter|column)\b", text, re.I):
            return None
        terms = english_terms(text)  # already the plan's terms
        return next((p.ref for t in terms for p in doc.parts if t in p.title), None)
    places = ([n.title for n in doc.parts], [n.text for n in doc.parts],
              [n.title for n in doc.walk() if n.kind in ("column", "section")])
    nodes = (doc.parts, doc.parts, [n for n in doc.walk() if n.kind in ("column", "section")])
    runs = [r for r in re.findall(r"[\u4e00-\u9fff“”]{4,}", text)]
    # longest first, then in the order the question says them (a set alone would order ties by hash)
    spans = sorted({r[i:j] for r in runs for i in range(len(r)) for j in range(i + 4, len(r) + 1)
                    if not _ASK_WORDS.search(r[i:j])}, key=lambda s: (-len(s), text.find(s)))
    named = part_by_scope_word(text, doc)
    if named:
        return named
    for span in spans:
        for where, owners in zip(places, nodes, strict=True):
            for node, place in zip(owners, where, strict=True):
                if span in place:
                    return node.ref
    # a word of three characters names a part when one part's title alone has it ("农牧业的事" -> 五)
    for run in runs:
        for i in range(len(run) - 2):
            holders = [p for p in doc.parts if run[i:i + 3] in p.title and not _ASK_WORDS.search(run[i:i + 3])]
            if len(holders) == 1:
                return holders[0].ref
    return None


def part_by_scope_word(text: str, doc) -> str | None:
    """"科技创新那部分" -> 八: the part whose title shares most of the words before 那部分/这块/方面
    (物流降本增效 shares only 增效 with 推动园区发展提质增效: not enough)."""
    m = _SCOPE_WORD.search(text)
    if not m:
        return None
    head = "".join(re.findall(r"[\u4e00-\u9fff]+$", _TIME_WORDS.sub("", text[:m.start()])))[-6:]
    grams = {head[i:i + 2] for i in range(len(head) - 1)}
    best = max(doc.parts, key=lambda p: sum(g in p.title for g in grams), default=None)
    if best is not None and grams and sum(g in best.title for g in grams) >= max(1, (len(grams) + 1) // 2):
        return child_named(best, text[m.end():]) or best.ref
    return None


def child_named(node, rest: str) -> str | None:
    """生态那部分里水资源那一节 -> 二(三): the child whose title shares most words with the words
    before 那一节/那一栏."""
    m = _SUB_SCOPE.search(rest)
    if not m:
        return None
    head = "".join(re.findall(r"[\u4e00-\u9fff]+$", rest[:m.start()]))[-6:]
    grams = {head[i:i + 2] for i in range(len(head) - 1)}
    kids = [c for c in node.children] + [r for c in node.children for r in c.children]
    best = max(kids, key=lambda c: sum(g in c.title for g in grams), default=None)
    return best.ref if best is not None and sum(g in best.title for g in grams) >= max(1, (len(grams) + 1) // 2) else None
