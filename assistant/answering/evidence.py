"""What an answer will say and where it comes from, decided before any sentence is written.

A handler returns an `Evidence` plan; the extractive composer and the LLM writer both write from it.

    Evidence("count", [Group("专栏1·“三北”工程攻坚战", ["1.防沙治沙1500万亩。"]), ...],
             facts={"count": 5, "what": "类", "scope": "专栏1"})
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Group:
    ref: str
    lines: list[str] = field(default_factory=list)  # sentences or clauses of the ref, verbatim
    heading: str = ""  # e.g. the section's title in an overview, or a sub-question in a multi-part answer
    quotes: list[str] = field(default_factory=list)  # whole sentences the lines come from (default: the lines)


@dataclass
class Evidence:
    kind: str  # refusal notice ownership quiz overview count cross multi premise figure measures qualitative
    groups: list[Group] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # computed from the tree: a count, titles, a premise check …
    parts: list[Evidence] = field(default_factory=list)  # a multi-part question: one plan per part
    reason: str | None = None  # code of why the question is refused (kind "refusal") or a part is missing
    hits: list = field(default_factory=list)  # the retrieval hits, for "相关内容" and the LLM's sources

    @property
    def refused(self) -> bool:
        return self.kind == "refusal"

    def refs(self) -> list[str]:
        """Every cited ref, in order of appearance."""
        own = [g.ref for g in self.groups if g.lines]
        return list(dict.fromkeys(own + [r for p in self.parts for r in p.refs()]))


def refusal(reason: str, hits: list | None = None, **facts) -> Evidence:
    """reason: a code the composer words (not_found, live_info, no_figure, missing_indicator …)."""
    return Evidence("refusal", reason=reason, hits=list(hits or []), facts=facts)
