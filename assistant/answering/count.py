"""Counts and enumerations, computed from the tree or from one sentence: how many parts, sections
of a part, 专栏, rows of a 专栏 ("专栏1分几类？分别是什么？" -> 共5类, each row cited), or items of an
enumeration inside a sentence ("…推进A、B国家级零碳园区建设" -> 2). The count is never guessed."""

from __future__ import annotations

import re

from .evidence import Evidence, Group
from .tree import columns, key_clauses, rows, scope_name, sections
from .words import groups, pattern

_COUNT_WORD = re.compile(r"(?:几|多少|哪[一二三四五六七八九十两\d]{1,2})(?:个|项|类|大|条|处|种|座|家|批|所)?")
_TRAILING_VERBS = re.compile(r"(?:一共|总共|共|都|分别|主要)?(?:涉及|有|是|包括|包含|要|分为|分成|分|建|打造|推动|支持)+$")
_LEAD_VERBS = re.compile(r"^(?:加快推进|有序推进|积极推进|稳步推进|推进|加快|支持|推动|建设|实施|打造|培育|开展|完成|新建|建成|争取|"
                         r"创建|布局|谋划|办好|举办|包括|重点|在)+")


def _noun(text: str, what: str) -> bool:
    """Is the count asked of this kind of node: the noun right after the count word (几个部分, 多少个专栏)
    or right before it (专栏有几个)? "多少个重大项目" holds 大项 and asks for no part."""
    nouns = "|".join(groups("count_nouns")[what])
    return bool(re.search(rf"(?:几|多少)(?:个|大)?(?:{nouns})|(?:{nouns})(?:一共|总共|共)?(?:有|分为|分成|分)?(?:几|多少)",
                          text, re.I))


def _names(text: str, title: str) -> bool:
    """Does the question name this title, or a run of four of its characters (污染防治 ~ 污染防治攻坚战)?"""
    return title in text or any(title[i:i + 4] in text for i in range(max(0, len(title) - 3)))


def _tree_count(q, ctx) -> Evidence | None:
    doc, text = ctx.doc, q.text
    node = doc.by_ref[q.scope] if q.scope else None
    if node is None:
        if _noun(text, "column"):
            kids, unit, name = doc.columns, "个专栏", "计划"
        elif _noun(text, "part"):
            kids, unit, name = doc.parts, "个部分", "计划正文"
        else:
            return None
    elif node.kind == "part":
        if _noun(text, "column") and not re.search(r"专栏\s*\d", text):
            kids, unit = columns(node), "个专栏"
        else:
            kids, unit = sections(node), "节"
        name = scope_name(node)
    elif node.kind in ("column", "row"):
        row = node if node.kind == "row" else next((r for r in rows(node) if _names(text, r.title)), None)
        if row is not None:  # 专栏1污染防治那一栏列了几条: the targets of that row
            lines = [line.strip() for line in row.text.splitlines() if line.strip()]
            return Evidence("count", [Group(row.ref, [line], heading=line) for line in lines],
                            facts={"count": len(lines), "unit": "条", "scope_name": f"{row.ref}", "extra": ""})
        kids, unit, name = rows(node), "类", scope_name(node)
    else:  # a section: its enumerations, not its tree
        return None
    if not kids:
        return None
    extra = ""
    if node is not None and node.kind == "part" and unit == "节" and columns(node):
        extra = "另有" + "、".join(c.ref for c in columns(node))
    groups_ = [Group(k.ref, key_clauses(ctx, k, 1) if k.kind in ("section", "row") else [], heading=k.title,
                     quotes=[k.title]) for k in kids]
    return Evidence("count", groups_, facts={"count": len(kids), "unit": unit, "scope_name": name, "extra": extra})


def _split_items(segment: str) -> list[str]:
    """A、B和C -> A, B, C; a 和 inside a name (呼和浩特) leaves one character on a side and stays."""
    out = []
    for piece in segment.split("、"):
        parts = re.split(r"以及|和|及|与", piece)
        out += parts if len(parts) > 1 and all(len(p) >= 2 for p in parts) else [piece]
    return out


def enumeration(sentence: str, noun: str) -> list[str]:
    """The items named right before (or after 分别在/包括) a counted noun in one sentence.

    >>> enumeration("加快推进鄂尔多斯蒙苏经济开发区、包头稀土高新技术产业开发区国家级零碳园区建设。", "国家级零碳园区")
    ['鄂尔多斯蒙苏经济开发区', '包头稀土高新技术产业开发区']
    """
    for clause in re.split(r"[，；。：]", sentence):
        if "、" not in clause and not re.search(r"[和及与]", clause):
            continue
        if noun and noun in clause:
            segment = clause[:clause.index(noun)]
        elif re.search(r"分别|包括", clause):
            segment = re.split(r"分别(?:在|是|为)?|包括", clause, maxsplit=1)[1]
        else:
            continue
        segment = re.sub(r"等$", "", re.sub(r"^\d+[.．、]", "", segment))
        items = [_LEAD_VERBS.sub("", s).strip("“”") for s in _split_items(segment)]
        items = [s for s in items if len(s) >= 2]
        if len(items) >= 2 and not any(re.search(r"\d", s) for s in items):  # named things, not targets
            return items
    return []


def counted_nouns(text: str) -> list[str]:
    """What a count question counts, longest forms first: the words after 几个/多少个 and the words
    before "有几条/涉及几个" ("要打造的千亿级产业链有几条" -> 千亿级产业链 …)."""
    m = _COUNT_WORD.search(text)
    if not m:
        return []
    after = re.split(r"[，。？?！!、吗呢]|分别|都是|是哪", text[m.end():])[0]
    before = re.split(r"[，。？?！!、的]", _TRAILING_VERBS.sub("", text[:m.start()]))[-1]
    out = [after[:n] for n in range(len(after), 1, -1)] + [before[-n:] for n in range(len(before), 2, -1)]
    out += [before[:n] for n in range(len(before), 2, -1)]
    return sorted((w for w in dict.fromkeys(out) if len(re.findall(r"[\u4e00-\u9fff]", w)) >= 2
                   and not w[0].isdigit() and w not in ("地方", "方面", "部分", "城市")), key=len, reverse=True)


def _enumeration_count(q, ctx) -> Evidence | None:
    nouns = counted_nouns(q.standalone)
    if not q.hits:
        return None
    pool = [ctx.passages[i] for _, i in ctx.sentence_pool(q.scored, [h.ref for h in q.hits[:3]])[:8]]
    # the longest thing the question counts that a top sentence names, then its enumeration
    tries = [(noun, p) for noun in nouns for p in pool if noun in p.text]
    tries += [("", p) for p in pool if re.search(r"分别|包括", p.text)]
    for noun, passage in tries:
        sentence = passage.text.strip()
        items = enumeration(sentence, noun)
        if items:
            i = ctx.passages.index(passage)
            ref = ctx.passages[i].ref
            measure = _COUNT_WORD.search(q.standalone)
            unit = re.sub(r"^(?:几|多少|哪.)", "", measure.group()) if measure else ""
            return Evidence("count", [Group(ref, [sentence])], facts={
                "count": len(items), "unit": unit if unit in ("个", "项", "条", "处", "座", "家", "种", "类") else "个", "scope_name": f"计划提到的{noun or '项目'}", "items": items,
                "enumeration": True})
    return None


def plan(q, ctx) -> Evidence | None:
    # "哪几个…" asks which ones (a list), "几个…/多少个…" how many
    if not pattern("count").search(q.text.replace("哪几", "")):
        return None
    return _tree_count(q, ctx) or _enumeration_count(q, ctx)
