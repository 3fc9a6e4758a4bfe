"""Who leads each task: a suggestion from the department registry, overridden by an official table.

The plan names no departments. A suggestion scores each department of `data/departments.json` by
its function keywords found in the task text (a longer keyword, and one that few tasks and few
departments share, weighs more; a keyword inside a longer matched one does not count), with the
node's title and the part's title as weaker context; a department named in the text wins. It is
labelled basis "inferred" (依据部门职能推断). An imported division-of-tasks table (`import_official`,
kept as JSON by `save_official` outside the index folder) overrides it with basis "official"
(依据分工方案). `find_owner` answers "防沙治沙任务由哪个部门牵头？" from the ledger.

    >>> from assistant.documents.parse import load
    >>> from assistant.tasks import build_ledger
    >>> owners = suggest_owners(build_ledger(load()))
    >>> owners["专栏1·“三北”工程攻坚战-01"].lead
    ('自治区林业和草原局',)
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from .documents.refs import normalize_ref

# the question side (find_owner …) lives beside the ledger search in tasks.py; re-exported here
from .tasks import Ledger, OwnerAnswer, Task, find_owner, is_ownership_question, owner_json, ownership_eval

BASIS_LABELS = {"inferred": "依据部门职能推断", "official": "依据分工方案"}
TITLE_WEIGHT, HEADING_WEIGHT = 0.35, 0.1  # context counts less than the task's own words
NAMED_BONUS = 100.0  # a department named in the text
CO_SHARE = 0.4  # a co-department scores at least this share of the lead's score
MAX_CO = 3
FALLBACK_LEAD = "自治区发展和改革委员会"  # the plan's drafter coordinates what no function covers


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


def keyword_weights(departments: list[Department], texts: list[str]) -> dict[str, float]:
    """sqrt(length) x rarity among the tasks (idf) / number of departments sharing the keyword."""
    shared: dict[str, int] = {}
    for d in departments:
        for kw in set(d.keywords):
            shared[kw] = shared.get(kw, 0) + 1
    n = len(texts)
    weights = {}
    for kw, count in shared.items():
        df = sum(kw in t for t in texts)
        weights[kw] = math.sqrt(len(kw)) * math.log(1 + (n + 1) / (df + 1)) / count
    return weights


def _matches(text: str, departments: list[Department]) -> dict[str, set[str]]:
    """Department name -> keywords found in `text`, dropping a hit inside a longer hit."""
    hits = []
    for d in departments:
        for kw in d.keywords:
            at = text.find(kw)
            while at >= 0:
                hits.append((at, at + len(kw), kw, d.name))
                at = text.find(kw, at + 1)
    found: dict[str, set[str]] = {}
    for s, e, kw, name in hits:
        if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for s2, e2, _, _ in hits):
            found.setdefault(name, set()).add(kw)
    return found


def infer_owner(task: Task, departments: list[Department], weights: dict[str, float],
                cache: dict | None = None) -> Assignment:
    cache = {} if cache is None else cache  # titles repeat across the tasks of a node
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    for text, factor, tag in ((task.text, 1.0, ""), (task.title, TITLE_WEIGHT, "（标题）"),
                              (task.heading, HEADING_WEIGHT, "（篇章）")):
        if text not in cache:
            cache[text] = _matches(text, departments)
        for name, kws in cache[text].items():
            scores[name] = scores.get(name, 0.0) + factor * sum(weights.get(k, 1.0) for k in kws)
            reasons.setdefault(name, []).extend(k + tag for k in sorted(kws, key=len, reverse=True))
    for d in departments:
        if any(len(n) >= 2 and n in task.text for n in d.names):
            scores[d.name] = scores.get(d.name, 0.0) + NAMED_BONUS
            reasons.setdefault(d.name, []).insert(0, "文中点名")
    if not scores:
        return Assignment((FALLBACK_LEAD,), (), "inferred", "未匹配到部门职能关键词，默认由计划编制部门统筹")
    ranked = sorted(scores, key=lambda n: -scores[n])
    top = scores[ranked[0]]
    lead = tuple(n for n in ranked if scores[n] >= top - 1e-9)
    co = tuple(n for n in ranked if n not in lead and scores[n] >= CO_SHARE * top)[:MAX_CO]
    reason = "；".join(f"{n}：{'、'.join(dict.fromkeys(reasons[n]))}" for n in lead + co)
    return Assignment(lead, co, "inferred", "职能关键词匹配——" + reason)


def suggest_owners(ledger: Ledger, departments: list[Department] | None = None) -> dict[str, Assignment]:
    departments = departments if departments is not None else load_departments()
    weights = keyword_weights(departments, [t.text for t in ledger])
    cache: dict = {}
    return {t.id: infer_owner(t, departments, weights, cache) for t in ledger}


# ---- the official division-of-tasks table -------------------------------------------------------

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


class TableError(ValueError):
    """A file that is not a table we can read; the message (one line, Chinese) says what to do."""


_OLE = b"\xd0\xcf\x11\xe0"  # the start of a legacy .xls (and any other OLE2) file


def decode_table_text(raw: bytes) -> str:
    """The text of a CSV as Excel or WPS saves it: UTF-8 (with or without BOM), UTF-16 (with BOM),
    GBK/GB18030. Raises TableError for bytes that are none of these, or not text at all."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TableError("无法识别文件的编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件")
    if "\x00" in text:
        raise TableError("文件内容不是文本表格：请上传 CSV 或 .xlsx 文件")
    return text


def read_table(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV (UTF-8, UTF-16 or GBK, as Excel saves it) or XLSX file as (line number,
    {header: cell}); line 1 is the header row. Raises TableError for a file it cannot read."""
    path = Path(path)
    with open(path, "rb") as f:
        start = f.read(8)
    if start.startswith(_OLE):
        raise TableError("这是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再导入")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from zipfile import BadZipFile

        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
            rows = [(i, ["" if v is None else str(v) for v in row])
                    for i, row in enumerate(sheet.iter_rows(values_only=True), 1)]
        except (BadZipFile, KeyError, OSError, ValueError) as e:
            raise TableError("文件不是有效的 Excel（.xlsx）表格，可能已损坏") from e
    elif path.suffix.lower() in (".csv", ".txt"):
        reader = csv.reader(io.StringIO(decode_table_text(path.read_bytes())))
        try:
            rows = [(reader.line_num, row) for row in reader]
        except csv.Error as e:
            raise TableError("文件不是有效的 CSV 表格") from e
    elif path.suffix.lower() == ".xls":
        raise TableError("文件扩展名是 .xls 但内容不是 Excel 表格：请上传 CSV 或 .xlsx 文件")
    else:
        raise TableError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请用 .csv 或 .xlsx")
    rows = [(i, [c.strip() for c in row]) for i, row in rows if any(c.strip() for c in row)]
    if not rows:
        return []
    header = rows[0][1]
    return [(i, dict(zip(header, row, strict=False))) for i, row in rows[1:]]


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


__all__ = ["Assignment", "Department", "ImportReport", "OfficialEntry", "OwnerAnswer", "TableError", "apply_official",
           "default_official_path", "find_owner", "import_official", "is_ownership_question",
           "load_departments", "load_official", "owner_json", "owners_for", "ownership_eval",
           "resolve_department", "save_official", "suggest_owners"]
