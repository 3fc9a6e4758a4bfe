"""The library: the primary plan and the documents an office adds beside it (last year's government
work report, next year's plan, other provinces' reports), each with its metadata, its own copy of the
file, its tree with refs qualified by its label, and its own index (built once, by content hash).

    library/library.json      the entries: id, label, title, region, year, kind, sha256, companion
    library/files/<id>.<ext> the added files as they came

The bundled plan (or the configured one) is the primary document: always there, never removed, its
refs kept short (四(三)); another document's refs carry its label (2025内蒙古政府工作报告·二(三)).

    >>> qualify_ref("二(三)", "2025内蒙古政府工作报告")
    '2025内蒙古政府工作报告·二(三)'
    >>> split_ref("2025内蒙古政府工作报告·专栏2·新能源开发利用", ["2025内蒙古政府工作报告"])
    ('2025内蒙古政府工作报告', '专栏2·新能源开发利用')
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import LibraryError
from .parse import Document, Node

PRIMARY = "plan"
SEP = "·"
MANIFEST = "library.json"


def qualify_ref(ref: str, label: str) -> str:
    return f"{label}{SEP}{ref}"


def split_ref(ref: str, labels) -> tuple[str | None, str]:
    """(label, the document's own ref) of a qualified ref; (None, ref) for the primary's."""
    for label in sorted(labels, key=len, reverse=True):
        if ref.startswith(label + SEP):
            return label, ref[len(label) + 1:]
    return None, ref


@dataclass
class Entry:
    id: str
    label: str
    title: str
    region: str
    year: int | None
    kind: str  # plan | report | other
    sha256: str
    file: str | None = None  # under files/; None for the primary
    companion: bool = False  # answered together with the primary unless a question names others
    added: str = ""
    chars: int = 0

    @property
    def primary(self) -> bool:
        return self.id == PRIMARY

    def to_json(self) -> dict:
        """What `library list --json`, the HTTP service and the MCP tools show of an entry."""
        return {"id": self.id, "label": self.label, "title": self.title, "region": self.region, "year": self.year,
                "kind": self.kind, "companion": self.companion, "primary": self.primary, "sha256": self.sha256,
                "added": self.added or None}


def qualified(doc: Document, label: str) -> Document:
    """A copy of the document whose every ref (and part ref) carries the label."""
    nodes = copy.deepcopy(doc.nodes)
    stack = list(nodes)
    while stack:
        node: Node = stack.pop()
        node.ref = qualify_ref(node.ref, label)
        node.part = qualify_ref(node.part, label) if node.part else None
        stack.extend(node.children)
    return Document(doc.title, dict(doc.header), nodes, doc.sha256)


@dataclass
class Library:
    folder: Path
    entries: list[Entry] = field(default_factory=list)

    @classmethod
    def open(cls, folder: Path, primary: Entry) -> Library:
        """The library in `folder` (empty when it has no manifest yet), with the primary first."""
        lib = cls(Path(folder), [primary])
        path = lib.folder / MANIFEST
        if path.exists():
            try:
                rows = json.loads(path.read_text(encoding="utf-8"))
                lib.entries += [Entry(**row) for row in rows if row.get("id") != PRIMARY]
            except (OSError, ValueError, TypeError) as e:
                raise LibraryError(f"文库清单无法读取（{path}）：{e}") from e
        return lib

    @property
    def others(self) -> list[Entry]:
        return [e for e in self.entries if not e.primary]

    def get(self, key: str) -> Entry:
        """An entry by id or label (what `library list` shows)."""
        for e in self.entries:
            if key in (e.id, e.label):
                return e
        known = "、".join(f"{e.id}（{e.label}）" for e in self.entries)
        raise LibraryError(f"文库中没有“{key}”。现有：{known}")

    def path_of(self, entry: Entry) -> Path:
        return self.folder / "files" / entry.file

    def save(self) -> None:
        """Written whole to a temporary file, then moved in place: a crash leaves the old manifest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        rows = [asdict(e) for e in self.others]
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".library.", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False, indent=1)
        os.replace(tmp, self.folder / MANIFEST)

    def add(self, source: Path, entry: Entry) -> Entry:
        """Copy the file in and record the entry; the same content twice, or a label already taken, is
        refused and nothing changes."""
        same = next((e for e in self.entries if e.sha256 == entry.sha256), None)
        if same is not None:
            raise LibraryError(f"文库中已有同一份文件：{same.label}（{same.id}）")
        if any(e.label == entry.label for e in self.entries):
            raise LibraryError(f"文库中已有名为“{entry.label}”的文件，请用 --title/--year/--region 区分")
        entry.id = next_id(self.entries)
        entry.file = entry.id + source.suffix.lower()
        entry.added = time.strftime("%Y-%m-%dT%H:%M:%S")
        files = self.folder / "files"
        files.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, files / entry.file)
        self.entries.append(entry)
        try:
            self.save()
        except OSError:
            self.entries.remove(entry)
            (files / entry.file).unlink(missing_ok=True)
            raise
        return entry

    def remove(self, key: str) -> Entry:
        entry = self.get(key)
        if entry.primary:
            raise LibraryError("主文件（计划本身）不能从文库中移除")
        self.entries.remove(entry)
        self.save()
        self.path_of(entry).unlink(missing_ok=True)
        return entry


def next_id(entries: list[Entry]) -> str:
    used = {e.id for e in entries}
    n = 1
    while f"d{n}" in used:
        n += 1
    return f"d{n}"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
