"""A document's headline targets: one per indicator of the comparison list (indicator_names.tsv), so
that "各省2025年地区生产总值增长目标" reads one row per document.

The target stated in the paragraph of main targets wins; an indicator that paragraph leaves out is
taken from the first later place that sets it (Beijing sets 城镇新增就业 in its section on jobs).
extract_targets has already left out last year's results.
"""

from __future__ import annotations

from .indicators import indicator_keys, known_indicator
from .parse import Document
from .targets import Target, extract_targets


def headline_targets(doc: Document, targets: list[Target] | None = None) -> list[Target]:
    """One target per listed indicator the document sets, in the order of the list.

    >>> from assistant.documents.parse import load
    >>> [(t.key, t.written, t.ref) for t in headline_targets(load())][:2]
    [('地区生产总值增长', '5%左右', '主要预期目标'), ('城镇新增就业', '18万人以上', '主要预期目标')]
    """
    best: dict[str, Target] = {}
    for t in extract_targets(doc) if targets is None else targets:
        if not known_indicator(t.indicator):
            continue
        held = best.get(t.key)
        if held is None or ("预期" in t.kind and "预期" not in held.kind):
            best[t.key] = t
    order = {key: i for i, key in enumerate(indicator_keys())}
    return sorted(best.values(), key=lambda t: order[t.key])
