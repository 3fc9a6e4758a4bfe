"""The official division-of-tasks table: imported, stored as JSON and laid over the suggestions."""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..documents.refs import normalize_ref
from ..tasks import Ledger, Task
from .departments import Assignment, Department, load_departments, resolve_department
from .suggest import suggest_owners
from .tables import read_table

TASK_HEADERS = ("任务", "任务内容", "重点任务", "工作任务", "任务事项", "具体任务", "task")
REF_HEADERS = ("引用", "出处", "章节", "条目", "ref")
ID_HEADERS = ("编号", "任务编号", "id")
LEAD_HEADERS = ("牵头单位", "牵头部门", "牵头", "责任单位", "牵头责任单位", "主责单位", "lead")
CO_HEADERS = ("配合单位", "配合部门", "协同单位", "参与单位", "协办单位", "配合", "co")
FUZZY_CUTOFF = 0.6


@dataclass
class OfficialEntry:
    line: int
    lead: list[str]
    co: list[str]
    ref: str | None = None  # set when the row named a ref: applies to every task of it
    tasks: list[tuple[str, str]] = field(default_factory=list)  # (task id, task text) when by text
    source: str = ""  # the imported file's name, for the reason users see


@dataclass
class ImportReport:
    imported: int
    errors: list[tuple[int, str]]
    warnings: list[tuple[int, str]] = field(default_factory=list)
    entries: list[OfficialEntry] = field(default_factory=list)


def default_official_path() -> Path:
    """$PLAN_ASSISTANT_DATA_DIR/official_owners.json, else ~/.local/share/plan-assistant/…: data the
    office imported, so it lives apart from the index folder and survives an index rebuild."""
    base = os.environ.get("PLAN_ASSISTANT_DATA_DIR")
    return (Path(base) if base else Path.home() / ".local" / "share" / "plan-assistant") / "official_owners.json"


def _column(headers: Iterable[str], names: tuple[str, ...]) -> str | None:
    by_key = {re.sub(r"[\s（(].*$", "", h).lower(): h for h in headers}
    return next((by_key[n] for n in names if n in by_key), None)


def split_names(cell: str) -> list[str]:
    return [n for n in re.split(r"[、，,；;/\s]+", cell or "") if n]


def _squash(s: str) -> str:
    return re.sub(r"[\s。；;，,]+", "", s)


def match_tasks(cell: str, ledger: Ledger, ref: str | None = None) -> list[Task]:
    """Tasks a table cell means: same text; tasks whose text the cell contains; the task that
    contains the cell (closest in length); else the best fuzzy match above FUZZY_CUTOFF."""
    key = _squash(cell)
    pool = ledger.of_ref(ref) if ref else list(ledger)
    if not key or not pool:
        return []
    exact = [t for t in pool if _squash(t.text) == key]
    inside = [t for t in pool if _squash(t.text) in key]
    around = sorted((t for t in pool if key in _squash(t.text)), key=lambda t: len(t.text))
    if exact or inside or around:
        return exact or inside or around[:1]
    ratio = {t.id: difflib.SequenceMatcher(None, key, _squash(t.text)).ratio() for t in pool}
    best = max(pool, key=lambda t: ratio[t.id])
    return [best] if ratio[best.id] >= FUZZY_CUTOFF else []


def _row_tasks(row: dict[str, str], cols: dict, ledger: Ledger) -> tuple[str | None, list[Task]] | str:
    """(ref, []) for a whole ref, (None, tasks) for tasks, or an error message. A task id (编号,
    as `plan-assistant tasks` exports it) wins over text; a ref typed in the task column is a ref."""
    cell = {k: (row.get(c) or "").strip() if c else "" for k, c in cols.items()}
    tid, ref = normalize_ref(cell["id"]), normalize_ref(cell["ref"]) if cell["ref"] else None
    if tid in ledger.by_id:
        return None, [ledger.by_id[tid]]
    if ref and not ledger.of_ref(ref):
        return f"未找到引用“{cell['ref']}”"
    if not cell["task"]:
        return (ref, []) if ref else "缺少任务或引用"
    if ref is None and ledger.of_ref(normalize_ref(cell["task"])):
        return normalize_ref(cell["task"]), []
    found = match_tasks(cell["task"], ledger, ref)
    return (None, found) if found else f"未在计划中找到任务“{cell['task'][:30]}”"


def import_official(path: str | Path, ledger: Ledger, departments: list[Department] | None = None
                    ) -> ImportReport:
    """Read an official table (columns 任务 and/or 引用, 牵头单位, 配合单位). Good rows become entries;
    a row without a lead or whose task is not found is reported by line number and skipped; a
    department name not in the registry is kept, with a warning."""
    departments = departments if departments is not None else load_departments()
    rows = read_table(path)
    headers = list(rows[0][1]) if rows else []
    cols = {"task": _column(headers, TASK_HEADERS), "ref": _column(headers, REF_HEADERS),
            "id": _column(headers, ID_HEADERS), "lead": _column(headers, LEAD_HEADERS),
            "co": _column(headers, CO_HEADERS)}
    if not rows:
        return ImportReport(0, [(1, "文件是空的，没有表头和数据行")])
    if not cols["lead"] or not (cols["task"] or cols["ref"] or cols["id"]):
        return ImportReport(0, [(1, "表头需要“任务”或“引用”列，以及“牵头单位”列")])
    report = ImportReport(0, [])
    for line, row in rows:
        lead = split_names(row.get(cols["lead"], ""))
        resolved = _row_tasks(row, cols, ledger) if lead else "缺少牵头单位"
        if isinstance(resolved, str):
            report.errors.append((line, resolved))
            continue
        entry = OfficialEntry(line, [], [], resolved[0], [(t.id, t.text) for t in resolved[1]], Path(path).name)
        co = split_names(row.get(cols["co"], "")) if cols["co"] else []
        for names, target in ((lead, entry.lead), (co, entry.co)):
            for name in names:
                dept = resolve_department(name, departments)
                if dept is None:
                    report.warnings.append((line, f"部门“{name}”不在部门名录中，已按原文保留"))
                target.append(dept.name if dept else name)
        report.entries.append(entry)
    report.imported = len(report.entries)
    return report


def save_official(entries: list[OfficialEntry], path: str | Path, source: str = "") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "source": source, "entries": [asdict(e) for e in entries]}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a file
    return path


def load_official(path: str | Path) -> list[OfficialEntry]:
    path = Path(path)
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [OfficialEntry(**{**e, "tasks": [tuple(t) for t in e.get("tasks", [])]}) for e in data.get("entries", [])]


def apply_official(owners: dict[str, Assignment], entries: list[OfficialEntry], ledger: Ledger
                   ) -> dict[str, Assignment]:
    """Suggestions with the official entries laid over them. A stored task is found again by id
    when its text is unchanged, else by its text, so a rebuilt or edited ledger keeps the table."""
    merged = dict(owners)
    by_text = {t.text: t for t in ledger}
    for e in entries:
        if e.ref:
            targets = ledger.of_ref(e.ref)
        else:
            targets = [ledger.by_id[i] if i in ledger.by_id and ledger.by_id[i].text == text else by_text.get(text)
                       for i, text in e.tasks]
        for t in filter(None, targets):
            where = f"《{e.source}》" if e.source else ""
            merged[t.id] = Assignment(tuple(e.lead), tuple(e.co), "official", f"分工方案{where}第{e.line}行")
    return merged


def owners_for(ledger: Ledger, data_path: str | Path | None = None,
               departments: list[Department] | None = None) -> dict[str, Assignment]:
    """What users see: suggestions, overridden by the imported official table if there is one."""
    entries = load_official(data_path or default_official_path())
    return apply_official(suggest_owners(ledger, departments), entries, ledger)
