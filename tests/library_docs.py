"""Documents for the library tests, made from the bundled plan: another year's plan with its own
figures, cut to the header, the two opening paragraphs and a few parts (so its index builds in seconds).

    plan_variant(tmp_path / "2027.txt", 2027)   # 地区生产总值增长5.5%左右, 粮食产量超过850亿斤
"""

from __future__ import annotations

import re
from pathlib import Path

PLAN = Path(__file__).resolve().parent.parent / "assistant" / "data" / "nmg-2026-plan.txt"
PARTS = ("一", "二", "三", "四")  # part 四 holds 专栏2 and the 稀土 section; parts are numbered without a gap
FIGURES = {2025: ("6%左右", "20万人以上", "830亿斤"), 2027: ("5.5%左右", "19万人以上", "850亿斤")}


def plan_variant(path: Path, year: int, parts=PARTS) -> Path:
    """The plan as if written for `year` (its figures from FIGURES), with only `parts` of its body."""
    gdp, jobs, grain = FIGURES[year]
    lines = PLAN.read_text(encoding="utf-8").split("\n")
    first = next(i for i, ln in enumerate(lines) if re.match(r"一、", ln.strip()))
    kept, keep = lines[:first], False
    for line in lines[first:]:
        m = re.match(r"([一二三四五六七八九十]+)、", line.strip())
        if m:
            keep = m.group(1) in parts
        if keep:
            kept.append(line)
    text = "\n".join(kept).replace("2026", str(year))
    text = (text.replace("地区生产总值增长5%左右", f"地区生产总值增长{gdp}")
            .replace("城镇新增就业18万人以上", f"城镇新增就业{jobs}").replace("粮食产量超过840亿斤", f"粮食产量超过{grain}"))
    path.write_text(text, encoding="utf-8")
    return path
