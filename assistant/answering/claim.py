"""Premises about names, places, ordinals and scopes ("计划说要办好第五届向北开放经贸商洽会，对吧？"):
the claim is held against the plan sentence that says most of it, character by character. Where the
claim puts another name in the same place (第五届 / 第四届, 全国 / 全区) it is corrected; where the
plan says all of it, confirmed; where the plan says nothing like it, it is never confirmed. Figures are
checked by premise.py.

    >>> differences("办好第五届向北开放经贸商洽会", "高质量办好第四届国家向北开放经贸商洽会。")
    [('第五届', '第四届')]
    >>> differences("新认证蒙字标企业", "新认证“蒙”字标企业30家以上。")
    []
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .evidence import Evidence, Group
from .items import _bigrams, _plain
from .words import pattern, words

QUOTED = re.compile(r"[“《][^”》]{1,20}[”》]")
MIN_FRAME_PAIRS = 3
SLOT_CONTEXT = 4
MIN_SLOT_CONTEXT = 3
MAX_EDGE = 6
MIN_HOLD = 3  # characters of the plan's own wording beside a replaced piece
LIST_NUMBER = re.compile(r"^\d+[.、]")
MIN_SHARE = 0.5  # share of the claim's character pairs in its best sentence: below, the plan says no such thing
FILLER = set("的了和与及在要将把是对等地也都还会")  # a difference only in these is wording, not a claim


def _names(text: str) -> list[str]:
    return [m.group()[1:-1] for m in QUOTED.finditer(text)]


def differences(claim: str, sentence: str) -> list[tuple[str, str]]:
    """(claimed, written) pieces where the claim puts other words in the plan's place. A quoted name
    the plan does not have is set against the plan's quoted name in its place: 四个自信 / 四水四定."""
    theirs = [n for n in _names(claim) if _plain(n) not in _plain(sentence)]
    ours = [n for n in _names(sentence) if _plain(n) not in _plain(claim)]
    if theirs and ours:
        return [(theirs[0], ours[0])]
    a, b = _plain(claim), LIST_NUMBER.sub("", _plain(sentence))
    out = []
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        said, written = a[i1:i2], b[j1:j2]
        # a replacement held in place by the plan's words on at least one side (长城干流 / 黄河干流)
        held = any(0 <= n < len(ops) and ops[n][0] == "equal" and ops[n][2] - ops[n][1] >= MIN_HOLD for n in (k - 1, k + 1))
        # at the claim's edge only a like-for-like swap counts (长城 / 黄河, not 要建设 / 加快推进…开发区)
        edge = i1 == 0 or i2 == len(a)
        alike = len(said) <= MAX_EDGE and len(written) <= MAX_EDGE and max(len(said), len(written)) <= 2 * min(len(said), len(written))
        if op == "replace" and set(said) - FILLER and set(written) - FILLER and held and (alike or not edge):
            # shown with a character of context each side when the piece is short: 第五届 / 第四届
            pad = 1 if len(said) == 1 else 0
            out.append((a[max(0, i1 - pad):i2 + pad], b[max(0, j1 - pad):j2 + pad]))
    return out


def _placed_elsewhere(diff: tuple[str, str], sentence: str, tokenize) -> bool:
    """A claimed piece whose words the sentence has (上海 of "到上海那条" in a list of channels), or a
    written piece far longer than the claimed one: the claim orders the sentence's words otherwise, it
    names nothing in their place."""
    said, written = diff
    pointers = set(words("claim_pointers"))
    named = [w for w in tokenize(_plain(said)) if len(w) >= 2 and w not in pointers]
    return (bool(named) and all(w in _plain(sentence) for w in named)) or len(written) > MAX_EDGE * max(1, len(said)) // 2


def best_sentence(claim: str, ctx) -> tuple[float, int]:
    """(share, passage index) of the sentence that says most of the claim. A name in quotes is the part
    a claim gets wrong (“四个自信” for “四水四定”), so the words around it find the sentence when there
    are enough of them."""
    frame = {g for piece in QUOTED.split(claim) for g in _bigrams(_plain(piece))}
    grams = frame if len(frame) >= MIN_FRAME_PAIRS else _bigrams(_plain(claim))
    if not grams:
        return 0.0, -1
    scored = [(sum(g in _plain(p.text) for g in grams) / len(grams), i)
              for i, p in enumerate(ctx.passages) if ctx.sentence_idx[i]]
    # a name in quotes the plan has ("5·18国际博物馆日") says which sentence, however the rest is put
    names = [_plain(n) for n in _names(claim)]
    holding = [(s, i) for s, i in scored if names and all(n in _plain(ctx.passages[i].text) for n in names)]
    if holding:
        best = max(holding)
        return max(best[0], MIN_SHARE), best[1]
    return max(scored, default=(0.0, -1))


def said_in(claim: str, sentence: str, tokenize) -> bool:
    """Every content word of the claim stands in one clause of the sentence (乌兰布和, 浙江, 输电通道,
    尽快, 核准): the plan says it, however the claim orders or links the words."""
    pointers = set(words("claim_pointers"))  # 那条, 这个: which one the claim means, no word of it
    said = [w for w in tokenize(_plain(claim)) if len(w) >= 2 and w not in pointers]
    # in one clause of it: "库布其至上海…尽快开工，争取…尽快核准" does not say 库布其至上海 is to be 核准
    clauses = [_plain(c).lower() for c in pattern("clause_split").split(sentence)]  # the tokenizer lowers II of Ⅱ
    return bool(said) and any(all(w in c for w in said) for c in clauses)


def extra(claim: str, sentence: str) -> str:
    """What the claim says that the plan's sentence does not: its content characters outside the runs
    it shares with the sentence (a quoted name the sentence lacks is always extra)."""
    a, b = _plain(claim), _plain(sentence)
    missing = [n for n in _names(claim) if _plain(n) not in b]
    kept = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    shared = {i for blk in kept if blk.size >= 2 for i in range(blk.a, blk.a + blk.size)}
    rest = "".join(ch for i, ch in enumerate(a) if i not in shared and ch not in FILLER)
    return "".join(missing) or (rest if len(rest) >= 2 else "")


def slot_sentence(claim: str, ctx) -> tuple[int, str, str] | None:
    """(passage index, the name in its place, the name the claim put there) of the one sentence with
    the claim's words around one of its quoted names, whatever that name: "落实“五个认同”要求" ->
    "…落实“四个最严”要求…". Each quoted name is tried as the variable one, the others kept as written;
    only with three or more characters of the claim around it."""
    for m in QUOTED.finditer(claim):
        left, right = claim[:m.start()][-SLOT_CONTEXT:], claim[m.end():][:SLOT_CONTEXT]
        if len(_plain(left)) + len(_plain(right)) < MIN_SLOT_CONTEXT:
            continue
        opening, closing = m.group()[0], m.group()[-1]  # 《…》 names a law or rule, “…” anything else
        slot = re.compile(re.escape(left + opening) + f"([^{closing}]{{1,20}})" + re.escape(closing + right))
        found = [(i, f.group(1)) for i, p in enumerate(ctx.passages) if ctx.sentence_idx[i] and (f := slot.search(p.text))]
        if len(found) == 1:
            return found[0][0], found[0][1], m.group()[1:-1]
    return None


def plan(q, ctx) -> Evidence | None:
    strong = pattern("claim").search(q.text)
    # a figure is checked by premise.py, unless the claim also names in quotes something the plan lacks
    # ("推出20个“送欢乐 送文明”重点事项")
    if not q.chinese or (q.figures and not QUOTED.search(q.text)) or not (strong or pattern("claim_weak").search(q.text)):
        return None
    quoted = pattern("claim_frame").sub("", q.text)  # quotes kept: they mark the name a claim may get wrong
    claim = _plain(quoted)
    if len(claim) < 4:
        return None
    slot = slot_sentence(quoted, ctx)
    share, i = (1.0, slot[0]) if slot else best_sentence(quoted, ctx)
    if share < MIN_SHARE:
        # only a claim put up for confirmation ("…，对吧？") is answered "no such text"; a question that
        # ends in 吗 or tells a story (听说…会推吗) is left to the other handlers
        if not pattern("claim_confirm").search(q.text) or pattern("asks").search(claim) or not q.hits:
            return None
        # a claim the plan says nothing like: never confirmed, the nearest sentence shown as such
        pool = ctx.sentence_pool(q.scored, [h.ref for h in q.hits[:3]])
        if not pool:
            return None
        i = pool[0][1]
        return Evidence("claim", [Group(ctx.passages[i].ref, [ctx.passages[i].text.strip()])],
                        facts={"stated": [claim], "written": [], "verdict": "unknown", "claim": claim}, hits=q.hits)
    sentence = ctx.passages[i].text.strip()
    diffs = differences(quoted, sentence)
    if slot and _plain(slot[1]) != _plain(slot[2]):
        diffs = [(slot[2], slot[1])]  # the name in the claim's place, not another name of the sentence
    if said_in(claim, sentence, ctx.retriever.tokenize) and not (slot and diffs):
        diffs = []
        verdict = "right"
    else:
        # a close sentence that does not say it: the plan does not say what the claim says (不是这样写的);
        # a swap of names the sentence has elsewhere is no correction (到上海 / 至河北 of a list)
        diffs = [d for d in diffs if not _placed_elsewhere(d, sentence, ctx.retriever.tokenize)]
        verdict = "wrong" if diffs else "not_said"
    if q.figures and verdict != "wrong":
        return None  # the names are right: the figure is premise.py's to check
    facts = {"stated": [d[0] for d in diffs] or [claim], "written": [d[1] for d in diffs], "verdict": verdict,
             "claim": claim}
    return Evidence("claim", [Group(ctx.passages[i].ref, [sentence])], facts=facts, hits=q.hits)
