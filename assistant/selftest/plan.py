"""What every generator reads: the document tree, its targets and task ledger, where a string occurs,
and how a question names a target. Built once per document; nothing in it knows this one plan.

    >>> from assistant.documents.parse import load
    >>> view = PlanView(load())
    >>> t = next(t for t in view.targets if t.indicator == "煤炭产量")
    >>> view.label(t), view.amount(t)
    ('煤炭产量', '12.5亿吨')
"""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources

from ..documents.parse import Document, Node
from ..documents.targets import Target, extract_targets

BODY_KINDS = ("opening", "part", "section", "row")  # nodes with text of their own (a column has none)
MIN_SPECIFIC = 4  # a shorter indicator (产值, 总规模, 发电量) says what it measures only with its heading
_HAN = re.compile(r"[\u4e00-\u9fff]")


def data_lines(name: str) -> list[str]:
    """A bundled list, one entry a line; `#` lines are comments."""
    text = resources.files("assistant.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def short_title(title: str) -> str:
    """A heading as a question names it: its first clause ("大力发展现代能源经济，建设…" -> 大力发展现代能源经济)."""
    return re.split(r"[，。；]", title, maxsplit=1)[0]


class PlanView:
    def __init__(self, doc: Document):
        self.doc = doc
        self.nodes = [n for n in doc.walk() if n.kind in BODY_KINDS and n.text]

    @cached_property
    def targets(self) -> list[Target]:
        return extract_targets(self.doc)

    @cached_property
    def ledger(self):
        from ..tasks import build_ledger

        return build_ledger(self.doc)

    @cached_property
    def text(self) -> str:
        """Every title and body of the plan (the notice header too): what "the plan says" covers."""
        return "\n".join(f"{n.title}\n{n.text}" for n in self.doc.walk())

    @cached_property
    def year(self) -> str:
        m = re.search(r"(\d{4})年", self.doc.title) or re.search(r"(\d{4})年", self.doc.header.get("date", ""))
        return m.group(1) if m else ""

    def occurrences(self, s: str) -> int:
        return self.text.count(s)

    def refs_with(self, terms) -> list[str]:
        """Refs whose own text holds any of the terms, in reading order."""
        return [n.ref for n in self.nodes if any(t in n.text for t in terms)]

    def absent(self, s: str, window: int = 4) -> bool:
        """Not written, nor any four characters of it: 粤港澳大湾区建设 is near 粤港澳大湾区, which the
        plan writes, so a question about it is no question about an absent subject.

        >>> from assistant.documents.parse import load
        >>> v = PlanView(load())
        >>> v.absent("房地产税"), v.absent("粤港澳大湾区建设"), v.absent("低空经济")
        (True, False, False)
        """
        n = min(window, len(s))
        return not any(s[i : i + n] in self.text for i in range(len(s) - n + 1))

    # ---- targets as questions name them -----------------------------------------------------------

    def amount(self, t: Target) -> str:
        """The value and unit as the plan writes them (a space between them kept)."""
        node_text = self.doc.by_ref[t.ref].text
        m = re.compile(re.escape(t.value) + r"\s?" + re.escape(t.unit)).match(node_text, t.offset)
        return m.group() if m else t.amount

    def context(self, t: Target) -> str:
        return short_title(self.doc.by_ref[t.ref].title)

    def specific(self, t: Target) -> bool:
        """Does the indicator alone name this target? Not when the plan uses it elsewhere too (发电量
        twice, 交易额 twice) or when it is a bare word (产值)."""
        return len(_HAN.findall(t.indicator)) >= MIN_SPECIFIC and self.occurrences(t.indicator) == 1

    def label(self, t: Target) -> str:
        """How a question names the target: the indicator, with its heading where it alone is ambiguous."""
        if self.specific(t):
            return t.indicator
        context = self.context(t)
        return t.indicator if t.indicator in context else f"{context}的{t.indicator}"

    def same_statement_refs(self, t: Target) -> list[str]:
        """The target's ref first, then any other ref that states the same indicator with the same amount."""
        amount = self.amount(t)
        others = [n.ref for n in self.nodes if n.ref != t.ref and t.indicator in n.text and amount in n.text]
        return [t.ref, *others]

    @cached_property
    def labelled(self) -> list[tuple[Target, str]]:
        """Targets with a label no other target of another amount shares (育肥牛、育肥羊出栏数 names
        two amounts of one clause: both are kept, the answer quotes the clause)."""
        by_label: dict[str, set[str]] = {}
        for t in self.targets:
            by_label.setdefault(self.label(t), set()).add(t.text)
        return [(t, self.label(t)) for t in self.targets if len(by_label[self.label(t)]) == 1]


def body_pieces(node: Node, min_chars: int = 6) -> list[str]:
    """Clauses of the node's own text that are not its heading: "（一）扎实推进…攻坚战。实施…" gives
    the clauses after the heading sentence; a 专栏 row's label is its title, its lines are body."""
    text = node.text
    if node.kind == "section" and "。" in text:
        text = text.split("。", 1)[1]
    pieces = [re.sub(r"^\s*(?:\d+[.．、]|（[一二三四五六七八九十]+）)", "", p).strip()
              for p in re.split(r"[，。；：\n]", text)]
    return [p for p in pieces if len(p) >= min_chars and p not in node.title]
