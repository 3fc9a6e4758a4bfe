"""Counts and enumerations, computed from the tree or from one sentence: how many parts, sections
of a part, 专栏, rows of a 专栏 ("专栏1分几类？分别是什么？" -> 共5类, each row cited), or items of an
enumeration inside a sentence ("…推进A、B国家级零碳园区建设" -> 2). The count is never guessed."""

from __future__ import annotations

import re

from ..documents.refs import numeral_value
from .evidence import Evidence, Group
from .topics import child_named
from .tree import columns, key_clauses, rows, scope_name, sections
from .words import groups, pattern


def _noun(text: str, what: str) -> bool:
    """Is the count asked of this kind of node: the noun right after the count word (几个部分, 多少个专栏)
    or right before it (专栏有几个)? "多少个重大项目" holds 大项 and asks for no part."""
    nouns = "|".join(groups("count_nouns")[what])
    return bool(re.search(rf"(?:几|多少)(?:个|大|项|条|类)?(?:{nouns})|(?:{nouns})(?:一共|总共|共)?(?:有|分为|分成|分)?(?:几|多少)",
                          text, re.I))


def _names(text: str, title: str) -> bool:
    """Does the question name this title, or a run of four of its characters (污染防治 ~ 污染防治攻坚战)?"""
    return title in text or any(title[i:i + 4] in text for i in range(max(0, len(title) - 3)))


def _says_count(text: str, n: int) -> bool:
    """Does the question state the count itself ("十大民生工程是哪十个"), equal to this node's?"""
    said = re.findall(r"([一二三四五六七八九十]{1,3}|\d{1,2})(?:大|个|项|条)", text)
    values = set()
    for s in said:
        try:
            values.add(numeral_value(s))
        except ValueError:
            continue
    return n in values


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
        elif _noun(text, "section") or _noun(text, "part") or q.named or _says_count(text, len(sections(node))):
            kids, unit = sections(node), "节"
        else:  # "农畜产品的区域品牌要培育几个": a thing the part names, not its sections
            return None
        name = scope_name(node)
    elif node.kind in ("column", "row"):
        row = node if node.kind == "row" else next((r for r in rows(node) if _names(text, r.title)), None)
        row = row or ctx.doc.by_ref.get(child_named(node, text) or "")
        if row is not None and row.kind == "row":  # 专栏1污染防治那一栏列了几条: the targets of that row
            return _row_count(ctx, row, text)
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


def _row_count(ctx, row, text: str) -> Evidence:
    """A 专栏 row's lines ("几条/几项指标": each line is one of its targets), or its quantified targets
    ("几项量化指标": 培训40万人次, 服务站500个 … may stand in one line)."""
    from ..documents.targets import extract_targets

    lines = [line.strip() for line in row.text.splitlines() if line.strip()]
    figures = [t.text for t in extract_targets(ctx.doc) if t.ref == row.ref]
    if _noun(text, "target") and figures:
        return Evidence("count", [Group(row.ref, [f], heading=f, quotes=lines) for f in figures],
                        facts={"count": len(figures), "unit": "项量化指标", "scope_name": row.ref, "extra": ""})
    extra = f"含{len(figures)}项量化指标" if len(figures) > len(lines) else ""
    return Evidence("count", [Group(row.ref, [line], heading=line) for line in lines],
                    facts={"count": len(lines), "unit": "条", "scope_name": f"{row.ref}", "extra": extra})


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
        # "家庭、邻里等矛盾和土地草牧场边界、…等纠纷": the list before 等…和 names other things
        segment = pattern("closed_list").split(segment)[-1]
        items = [pattern("count_lead_verbs").sub("", s).strip("“”") for s in _split_items(segment)]
        items = [s for s in items if len(s) >= 2]
        # named things, not targets ("3600个") nor actors of a verb ("鼓励更多园区、企业创建…")
        if len(items) >= 2 and not any(re.search(r"\d", s) or pattern("enumeration_verbs").search(s) for s in items):
            return items
    return []


def counted_nouns(text: str) -> list[str]:
    """What a count question counts, longest forms first: the words after 几个/多少个 and the words
    before "有几条/涉及几个" ("要打造的千亿级产业链有几条" -> 千亿级产业链 …)."""
    m = pattern("count_word").search(text)
    if not m:
        return []
    after = re.split(r"[，。？?！!、吗呢]|分别|都是|是哪", text[m.end():])[0]
    # "…示范市的有几个城市": the words before 的有几个 are what is counted
    before = re.split(r"[，。？?！!、的]", pattern("count_trailing_verbs").sub("", text[:m.start()]).rstrip("的"))[-1]
    out = [after[:n] for n in range(len(after), 1, -1)] + [before[-n:] for n in range(len(before), 1, -1)]
    out += [before[:n] for n in range(len(before), 2, -1)]
    return sorted((w for w in dict.fromkeys(out) if len(re.findall(r"[\u4e00-\u9fff]", w)) >= 2
                   and not w[0].isdigit() and w not in ("地方", "方面", "部分", "城市")), key=len, reverse=True)


def _enumeration_count(q, ctx) -> Evidence | None:
    nouns = counted_nouns(q.standalone)
    if not q.hits:
        return None
    pool = [ctx.passages[i] for _, i in ctx.sentence_pool(q.scored, [h.ref for h in q.hits[:3]])[:8]]
    # the longest thing the question counts that a top sentence names, then its enumeration; a noun is
    # looked for in every sentence (a short one beside another word of the question), those that share most first
    tries = [(noun, p) for noun in nouns for p in pool if noun in p.text]
    words = [w for w in q.scored.tokens if len(w) >= 2]
    anywhere = [p for p, on in zip(ctx.passages, ctx.sentence_idx, strict=True) if on]
    shared = {id(p): sum(w in p.text for w in words) for p in anywhere}
    tries += sorted(((noun, p) for noun in nouns for p in anywhere if noun in p.text and p not in pool
                     and (len(noun) >= 4 or shared[id(p)] >= 2)), key=lambda np: -shared[id(np[1])])
    tries += [("", p) for p in pool if re.search(r"分别|包括", p.text)]
    # "多少个重大项目" asks for a figure when the plan counts the thing itself (实施重大项目3600个左右)
    counted = [n for n in nouns if len(n) >= 2 and pattern("figure_beside").search(ctx.doc_text.replace(n, "\0"))]
    for noun, passage in tries:
        if noun in counted:
            continue
        sentence = passage.text.strip()
        items = enumeration(sentence, noun)
        if items:
            i = ctx.passages.index(passage)
            ref = ctx.passages[i].ref
            measure = pattern("count_word").search(q.standalone)
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
