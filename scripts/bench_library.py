"""The library's costs, measured on this machine: ingest time per document (read, parse, embed), index size
on disk, resident memory, and ask p50 over scopes of 1, 9 and 50 documents.

    python scripts/bench_library.py                      # the eight reports of tests/corpus, then 50
    python scripts/bench_library.py --total 9 --repeat 5

The 50 are the eight reports added again as text under other metadata (a copy number in the title line,
so each is a document of its own with its own index): a load figure, not a library anyone would keep.
Everything goes to a temporary folder; the bundled plan's index is the configured one.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.documents.formats import read_source
from assistant.documents.intake import add_document
from assistant.retrieval.corpus import index_root

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
QUESTIONS = ["各省2025年地区生产总值增长目标分别是多少？", "哪些省份的地区生产总值增长目标高于5.5%？",
             "城镇新增就业目标是多少？", "稀土产业有哪些安排？", "防沙治沙要完成多少？", "怎么促进消费？"]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def ask_p50(assistant, ids: list[str], repeat: int) -> tuple[float, float]:
    """(first ask ms, which builds the scope; p50 ms of the warm asks)."""
    started = time.perf_counter()
    assistant.ask(QUESTIONS[0], docs=ids)
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(repeat):
        for q in QUESTIONS:
            started = time.perf_counter()
            assistant.ask(q, docs=ids)
            times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--total", type=int, default=50, help="documents in the largest scope (with the plan)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-library-"))
    assistant = Assistant.load(progress=False, library_dir=str(work / "library"))
    shelf = assistant.shelf
    print(f"plan loaded, RSS {rss_mb():.0f} MB")
    rows = []
    reports = sorted(CORPUS.glob("*.docx"))
    for path in reports:
        started = time.perf_counter()
        entry, doc = add_document(shelf.library, path)
        read = time.perf_counter() - started
        corpus = shelf.corpus(entry)
        total = time.perf_counter() - started
        size = folder_mb(index_root(shelf.index_dir, corpus.passages))
        rows.append((entry.label, len(corpus.passages), read, total, size))
        print(f"  {entry.label}: {len(corpus.passages)} passages, read+parse {read:.1f} s, with index {total:.1f} s, "
              f"index {size:.1f} MB")
    copy = 0
    while len(shelf.library.entries) < args.total:
        path = reports[copy % len(reports)]
        copy += 1
        text = read_source(path).text
        variant = work / f"{path.stem}-副本{copy}.txt"
        variant.write_text(text + "\n" * copy, encoding="utf-8")  # other bytes, the same passages
        entry, _ = add_document(shelf.library, variant, title=f"{path.stem}（副本{copy}）", kind="other")
        shelf.corpus(entry)
    print(f"{len(shelf.library.entries)} documents (the copies share their originals' indexes), "
          f"RSS {rss_mb():.0f} MB")
    ids = [e.id for e in shelf.library.entries]
    table = []
    for n in (1, 9, args.total):
        if n > len(ids):
            continue
        first, p50 = ask_p50(assistant, ids[:n], args.repeat)
        table.append((n, first, p50, rss_mb()))
    print()
    print("| documents | first ask (builds the scope) | ask p50 warm | RSS |")
    print("|---:|---:|---:|---:|")
    for n, first, p50, rss in table:
        print(f"| {n} | {first:.0f} ms | {p50:.1f} ms | {rss:.0f} MB |")
    per_doc = [r[3] for r in rows]
    print(f"\ningest per report (read, parse, embed, index; an index already built is loaded): median "
          f"{statistics.median(per_doc):.1f} s, max {max(per_doc):.1f} s; read and parse alone median "
          f"{statistics.median([r[2] for r in rows]):.2f} s; passages median {statistics.median([r[1] for r in rows]):.0f}; "
          f"index size median {statistics.median([r[4] for r in rows]):.1f} MB")


if __name__ == "__main__":
    main()
