"""The task ledger: each task of the plan with its targets and deadline, and a search over them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from ..retrieval.lexical import BM25, JiebaTokenizer, plan_terms

BIGRAM_WEIGHT = 0.3  # jieba tokens lead; pairs break ties and rescue mis-cut words


@dataclass(frozen=True)
class Target:
    value: float
    unit: str  # magnitude and unit as written: 万亩, 亿千瓦时, %; "" for a bare coefficient
    qualifier: str = ""  # 以上 | 以下 | 左右 | 以内

    @property
    def number(self) -> int | float:
        return int(self.value) if self.value == int(self.value) else self.value

    def to_json(self) -> dict:
        return {"value": self.number, "unit": self.unit, "qualifier": self.qualifier}

    def __str__(self) -> str:
        return f"{self.number}{self.unit}{self.qualifier}"


@dataclass(frozen=True)
class Task:
    id: str  # "<ref>-NN", NN counting from 01 within the node
    ref: str
    text: str  # the clause, verbatim from the node text (row numbering and end punctuation dropped)
    chapter: str | None  # the part ref (None for the opening targets)
    title: str  # the node's title: context for ownership and search
    heading: str = ""  # the part's title, wider context
    targets: tuple[Target, ...] = ()
    timing: tuple[str, ...] = ()  # 3月底前, 汛期前, 上半年 … in order of appearance

    @property
    def deadline(self) -> str | None:
        return "、".join(self.timing) or None

    def to_json(self) -> dict:
        return {"id": self.id, "ref": self.ref, "chapter": self.chapter, "title": self.title,
                "text": self.text, "targets": [t.to_json() for t in self.targets],
                "deadline": self.deadline}


@dataclass
class Ledger:
    tasks: list[Task]
    doc_sha256: str = ""
    _index: tuple | None = field(default=None, repr=False, compare=False)

    def __iter__(self):
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    @cached_property
    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}

    @property
    def refs(self) -> list[str]:
        return list(dict.fromkeys(t.ref for t in self.tasks))

    def of_ref(self, ref: str) -> list[Task]:
        """Tasks of one node; a column ref (专栏2) gives the tasks of all its rows."""
        return [t for t in self.tasks if t.ref == ref or t.ref.startswith(ref + "·")]

    def search(self, query: str, k: int = 3, drop: frozenset[str] = frozenset()) -> list[tuple[Task, float]]:
        """Tasks by BM25 over jieba tokens of title + text, best first; tokens in `drop` are ignored.
        Ties (equal scores) keep the plan's order; tasks with no shared word are left out."""
        if self._index is None:
            terms = plan_terms([t.text for t in self.tasks], [t.title for t in self.tasks])
            tokenize = JiebaTokenizer(terms | registry_terms())
            docs = [f"{t.title} {t.text}" for t in self.tasks]
            self._index = (tokenize, BM25([tokenize(d) for d in docs]), BM25([bigrams(d) for d in docs]))
        tokenize, words, pairs = self._index
        scores = words.scores([t for t in tokenize(query) if t not in drop]) + BIGRAM_WEIGHT * pairs.scores(
            bigrams(query))
        order = sorted(range(len(self.tasks)), key=lambda i: (-scores[i], i))
        return [(self.tasks[i], float(scores[i])) for i in order[:k] if scores[i] > 0]


def bigrams(text: str) -> list[str]:
    """Character pairs inside runs of letters and digits: a second opinion where jieba's cut differs."""
    return [run[i : i + 2] for run in re.findall(r"\w+", text) for i in range(len(run) - 1)]


def registry_terms() -> set[str]:
    """Department function keywords (林长制, 河湖长制 …) kept whole by jieba, so that a question and
    the task it names are cut the same way (jieba alone cuts 推深做实林长制 as 实林/长制)."""
    raw = resources.files("assistant.data").joinpath("departments.json").read_text(encoding="utf-8")
    return {kw for d in json.loads(raw) for kw in d.get("keywords", ()) if 2 <= len(kw) <= 12}
