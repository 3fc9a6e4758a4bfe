"""The department registry (`data/departments.json`) and an assignment of lead and co-departments."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

BASIS_LABELS = {"inferred": "依据部门职能推断", "official": "依据分工方案"}


@dataclass(frozen=True)
class Department:
    name: str
    short: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.short)


@dataclass(frozen=True)
class Assignment:
    lead: tuple[str, ...]
    co: tuple[str, ...] = ()
    basis: str = "inferred"  # inferred | official
    reason: str = ""

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]


def load_departments(path: str | Path | None = None) -> list[Department]:
    if path is None:
        raw = resources.files("assistant.data").joinpath("departments.json").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    return [Department(d["name"], tuple(d.get("short", ())), tuple(d.get("keywords", ()))) for d in json.loads(raw)]


def resolve_department(name: str, departments: list[Department]) -> Department | None:
    """A full name, a short name, or the name without the 自治区 prefix: 林草局 -> 自治区林业和草原局."""
    key = re.sub(r"\s+", "", name)
    for d in departments:
        if key in d.names or key == d.name.removeprefix("自治区"):
            return d
    return None
