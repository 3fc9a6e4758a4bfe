"""Targets compared across documents ("各省2025年地区生产总值增长目标分别是多少？", "哪些省份的目标高于
5.5%？", "城镇新增就业目标比去年多还是少？"): answered from the documents' targets tables, one cited
row per document, sorted; never from a long prompt. Only when the question's scope holds two or more
documents and it names an indicator (documents/indicators.py)."""

from __future__ import annotations

from dataclasses import dataclass

from ..documents.amounts import Amount
from ..documents.indicators import keys_named
from ..documents.targets import extract_targets
from .evidence import Evidence, Group
from .words import pattern


@dataclass
class Row:
    label: str  # the document's label
    region: str
    year: int | None
    ref: str
    text: str  # the target's clause, verbatim
    value: Amount

    @property
    def level(self) -> float:
        """The number a comparison uses: the middle of a range, else the number."""
        v = self.value
        return (v.low + v.high) / 2 if v.high is not None else v.low


_TARGETS: dict[tuple[str, str], list] = {}  # (document hash, its first ref) -> its targets
_MAX_CACHED = 256


def targets_of(doc) -> list:
    """A document's targets, extracted once (a table over 50 documents is then a lookup)."""
    key = (doc.sha256, doc.nodes[0].ref if doc.nodes else "")
    if key not in _TARGETS:
        if len(_TARGETS) >= _MAX_CACHED:
            _TARGETS.pop(next(iter(_TARGETS)))
        _TARGETS[key] = extract_targets(doc)
    return _TARGETS[key]


def rows_for(sources, key: str) -> list[Row]:
    """Each document's target for the indicator: its first statement of it as this year's target."""
    out = []
    for corpus in sources:
        for t in targets_of(corpus.doc):
            if t.key == key and t.amount_range.low is not None:
                e = corpus.entry
                out.append(Row(e.label, e.region, e.year, t.ref, t.text, t.amount_range))
                break
    return out


def rows_by_indicator(documents) -> dict[str, list[Row]]:
    """Indicator key -> one row per document that states it (its first target for it with a number),
    for (entry, document) pairs in the order given; what the web app's comparison across documents shows."""
    out: dict[str, list[Row]] = {}
    for entry, doc in documents:
        seen = set()
        for t in targets_of(doc):
            if t.key not in seen and t.amount_range.low is not None:
                seen.add(t.key)
                out.setdefault(t.key, []).append(Row(entry.label, entry.region, entry.year, t.ref, t.text,
                                                     t.amount_range))
    return out


def threshold(text: str) -> tuple[str, float] | None:
    m = pattern("figure_threshold").search(text)
    if not m:
        return None
    if pattern("compare_below").search(text):
        return "below", float(m.group(1))
    return ("above", float(m.group(1))) if pattern("compare_above").search(text) else None


def plan(q, ctx) -> Evidence | None:
    return compared(q.text, ctx.extras.get("corpora", ()))


def compared(text: str, corpora) -> Evidence | None:
    """The comparison a question asks over these documents (each with .entry and .doc), or None."""
    keys = keys_named(text)
    if len(corpora) < 2 or not keys or not (pattern("compare_ask").search(text) or pattern("compare_change").search(text)):
        return None
    key = keys[0]
    rows = rows_for(corpora, key)
    if not rows:
        return None
    facts = {"indicator": key, "n_docs": len(corpora), "missing": [c.entry.label for c in corpora
                                                                   if c.entry.label not in {r.label for r in rows}]}
    limit = threshold(text)
    if limit:
        side, bound = limit
        facts.update(side=side, bound=bound)
        rows = [r for r in rows if (r.level > bound if side == "above" else r.level < bound)]
    rows.sort(key=lambda r: (-(r.year or 0), -r.level) if pattern("compare_change").search(text)
              else (-r.level, r.label))
    if pattern("compare_change").search(text) and len(rows) >= 2:
        newer, older = rows[0], rows[1]
        facts["change"] = (newer.level > older.level) - (newer.level < older.level)
    facts["rows"] = rows
    return Evidence("compare", [Group(r.ref, [r.text]) for r in rows], facts=facts, hits=[])
