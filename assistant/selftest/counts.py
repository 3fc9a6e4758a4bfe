"""How many, counted in the tree: the sections of each part, the rows of each 专栏, the numbered lines
of each 专栏 row, and the items a sentence enumerates (when the words around the list name what it lists)."""

from __future__ import annotations

import random

from .enumerations import sentence_lists
from .plan import PlanView, short_title

PART = ("第{n}部分有几节？", "“{title}”这部分分了几个方面？")
COLUMN = ("{ref}分几类？", "{ref}“{title}”一共有几栏？")
ROW = ("{column}里{label}那一栏列了几条？", "{column}的{label}一栏写了几条？")
SENTENCE = ("计划{lead}的{noun}列了几个？", "计划{lead}的{noun}一共有几个？")
MAX_LEAD = 6  # "加快推进" names an action; a longer lead is half a sentence, no way to ask


def _item(question: str, ref: str, count: int, evidence: str, scope: str) -> dict:
    return {"kind": "count", "question": question, "refs": [ref], "expect": [], "evidence": evidence,
            "count": count, "scope": scope}


def asked_noun(lead: str, head: str) -> str | None:
    """What "计划{lead}的{noun}列了几个" asks about: the nouns the head opens with, when the lead is a
    short verb ("加快", "化工、冶金、建材等产业数智化…" -> 产业); None when the list cannot be asked
    that way ("加强与…区域交流合作", "加强…建设")."""
    import jieba.posseg as pseg

    if not (0 < len(lead) <= MAX_LEAD and len(head) >= 2) or not list(pseg.cut(lead))[-1].flag.startswith("v"):
        return None
    noun = ""
    for word in pseg.cut(head):
        if not word.flag.startswith(("n", "s")):  # s: a place word (口岸)
            break
        noun += word.word
    return noun if len(noun) >= 2 else None


def count_items(view: PlanView, rng: random.Random) -> list[dict]:
    doc, items = view.doc, []
    for part in doc.parts:
        sections = [c for c in part.children if c.kind == "section"]
        if len(sections) < 2:
            continue
        for template in PART:
            items.append(_item(template.format(n=part.ref, title=short_title(part.title)), part.ref, len(sections),
                               sections[0].title, "sections"))
    for column in doc.columns:
        for template in COLUMN:
            items.append(_item(template.format(ref=column.ref, title=column.title), column.ref,
                               len(column.children), column.children[0].title, "rows"))
        for row in column.children:
            lines = [ln for ln in row.text.splitlines() if ln.strip()]
            if len(lines) < 2:  # one line may hold four targets: "几条" would be ambiguous
                continue
            for template in ROW:
                items.append(_item(template.format(column=column.ref, label=row.title), row.ref, len(lines),
                                   lines[0], "lines"))
    for found in sentence_lists(doc):
        noun = asked_noun(found.lead, found.head)
        if not noun:
            continue
        for template in SENTENCE:
            items.append(_item(template.format(lead=found.lead, noun=noun), found.ref, len(found.items),
                               found.items[0].text, "sentence"))
    return items
