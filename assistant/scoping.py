"""Which documents a question is answered over, and what the answering handlers read for them.

With nothing added to the library every question is answered over the primary plan, exactly as
before. With documents added, a question is answered over the primary plus the documents marked
companions, unless it names others: by year ("2025年", "去年的政府工作报告"), by region ("江苏",
"兄弟省份", "各省") or by kind ("政府工作报告"); a scope chosen in the web app, `--doc` on the CLI or the
API's field overrides that.

    >>> years_named("2025年的GDP目标是多少，2026年计划呢？", 2026), years_named("比去年多还是少", 2026)
    ([2025, 2026], [2025, 2026])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .answering.words import groups, pattern
from .documents.library import PRIMARY, Entry, Library
from .documents.metadata import short_region

_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")


def years_named(question: str, primary_year: int | None) -> list[int]:
    """Years a question names, absolute or relative to the primary document's year; a comparison
    with last year names both."""
    years = [int(y) for y in _YEAR.findall(question)]
    if primary_year:
        years += [primary_year + d for w, d in groups("scope_relative_years").items() if w in question]
        if pattern("scope_compared").search(question):
            years += [primary_year - 1, primary_year]
    return sorted(set(years))


@dataclass
class Scope:
    ids: list[str]
    reason: str = ""  # what in the question chose it (for the answer's first line), empty by default
    named: dict = field(default_factory=dict)


def resolve(question: str, library: Library, explicit: list[str] | None = None) -> Scope:
    """The documents for a question. Only documents in the library are ever chosen; a question about a
    year or region the library lacks stays on the default scope (where the gates refuse it as before)."""
    if explicit:
        return Scope([library.get(k).id for k in explicit], reason="chosen")
    primary = library.entries[0]
    default = [e.id for e in library.entries if e.primary or e.companion]
    if not library.others:
        return Scope(default)
    regions = [e for e in library.entries if short_region(e.region) and short_region(e.region) in question]
    years = years_named(question, primary.year)
    every_region = bool(pattern("scope_all_regions").search(question))
    kind = "report" if pattern("scope_report").search(question) else ("plan" if pattern("scope_plan").search(question) else None)
    if not (regions or years or every_region or kind):
        return Scope(default)
    chosen = list(library.entries)
    if regions and not every_region:
        names = {short_region(e.region) for e in regions}
        chosen = [e for e in chosen if short_region(e.region) in names]
    elif not every_region:  # no region named: the primary's own region
        chosen = [e for e in chosen if short_region(e.region) == short_region(primary.region)]
    if years:
        chosen = [e for e in chosen if e.year in years]
    if kind and len({e.kind for e in chosen}) > 1 and not (years and len(years) > 1):
        chosen = [e for e in chosen if e.kind == kind]
    if not chosen:
        return Scope(default)
    return Scope([e.id for e in chosen], reason="named", named={"years": years, "all_regions": every_region})


def entries_of(library: Library, ids: list[str]) -> list[Entry]:
    return [library.get(i) for i in ids]


__all__ = ["PRIMARY", "Scope", "resolve", "short_region", "years_named"]
