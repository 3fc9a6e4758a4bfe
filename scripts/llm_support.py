"""The support scores of eval/llm_support.tsv (faithful paraphrases and invented claims, each with the
refs it cites) against the real plan, the distributions by label, and how each threshold separates
them: the measurement behind assistant/llm/support.py's THRESHOLD.

    python scripts/llm_support.py            # the summary and the threshold table
    python scripts/llm_support.py --rows     # and every statement with its score
"""

from __future__ import annotations

import argparse
import statistics
import unicodedata
from pathlib import Path

from assistant.documents.parse import load
from assistant.llm.support import ENGLISH_THRESHOLD, THRESHOLD, is_english, overlap, unclaimed

TABLE = Path(__file__).resolve().parent.parent / "eval" / "llm_support.tsv"


def rows(path: Path = TABLE) -> list[tuple[str, str, list[str], str]]:
    """(label, kind, refs, statement) per line of the table."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, kind, refs, statement = line.split("\t")
            out.append((label, kind, refs.split(","), statement))
    return out


def scores(doc, table) -> list[tuple[str, str, str, float | None, str | None]]:
    """(label, kind, statement, overlap score, unclaimed claim word) per row."""
    out = []
    for label, kind, refs, statement in table:
        source = unicodedata.normalize("NFKC", "\n".join(doc.by_ref[r].text or doc.by_ref[r].full_text() for r in refs))
        out.append((label, kind, statement, overlap(statement, source), unclaimed(statement, source)))
    return out


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1) + 0.5))]


def passes(score: float | None, claim: str | None, threshold: float, statement: str) -> bool:
    limit = ENGLISH_THRESHOLD if is_english(statement) else threshold
    return claim is None and (score is None or score >= limit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", action="store_true", help="print every statement with its score")
    args = parser.parse_args()
    scored = scores(load(None), rows())
    if args.rows:
        for label, kind, statement, score, claim in sorted(scored, key=lambda r: (r[0], -1 if r[3] is None else r[3])):
            print(f"{label:9} {kind:13} {'-' if score is None else f'{score:.2f}':>5} {claim or '':6} {statement}")
        print()
    print("overlap score (Chinese statements; claim words aside):")
    for label in ("faithful", "invented"):
        values = [s for lab, _, st, s, _ in scored if lab == label and s is not None and not is_english(st)]
        print(f"  {label}: n={len(values)} min={min(values):.2f} p10={percentile(values, 0.1):.2f} "
              f"median={statistics.median(values):.2f} p90={percentile(values, 0.9):.2f} max={max(values):.2f}")
    bare = sorted(s for lab, _, st, s, c in scored if lab == "invented" and c is None and s is not None
                  and not is_english(st))
    print(f"  invented without a claim word: n={len(bare)} median={statistics.median(bare):.2f} "
          f"max={max(bare):.2f}; above 0.4: {[round(v, 2) for v in bare if v > 0.4]}")
    n_f = sum(lab == "faithful" for lab, *_ in scored)
    print("\nthreshold  faithful passing  invented falling back (overlap alone | with claim words)")
    for t in (0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
        ok = sum(passes(s, c, t, st) for lab, _, st, s, c in scored if lab == "faithful")
        alone = sum(not passes(s, None, t, st) for lab, _, st, s, _ in scored if lab == "invented")
        caught = sum(not passes(s, c, t, st) for lab, _, st, s, c in scored if lab == "invented")
        print(f"{t:>9.2f}  {ok:>7}/{n_f:<8} {alone:>9}/{len(scored) - n_f} | {caught}/{len(scored) - n_f}"
              + ("   <- THRESHOLD" if t == THRESHOLD else ""))
    wrong = [(lab, k, st, s) for lab, k, st, s, c in scored if passes(s, c, THRESHOLD, st) != (lab == "faithful")]
    print(f"\nmisjudged at the threshold ({THRESHOLD}):" if wrong else "")
    for label, kind, statement, score in wrong:
        print(f"  {label} {kind} {score if score is None else round(score, 2)}: {statement}")


if __name__ == "__main__":
    main()
