"""指标: every quantitative target of the plan as a table (cards on a phone), filtered by chapter,
a chart of the chosen chapter's targets grouped by kind with their values and units, and exports
(CSV, XLSX, Markdown) with the table's Chinese headers."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import gradio as gr
import pandas as pd

from ..documents.refs import UnknownRef
from ..documents.targets import filter_targets, scope_refs
from . import compare
from .html import chapter_choices, esc, ref_label
from .state import DOC, TARGETS, export_folder

TARGET_HEADERS = ["指标", "数值", "单位", "类型", "引用", "原文"]
# a target without a qualifier: a work quantity when its clause opens with one of these verbs
WORK_VERBS = ("完成", "实施", "开展", "新建", "新改建", "建设", "布局", "新开工", "新认证", "新增", "加装", "投入",
              "发放", "创建", "改造", "开工")
KIND_NOTE = ("类型是原文的限定语（以上、左右、力争、约束……）；原文没写限定语的，按用语记为“任务量”"
             "（完成、新建、实施……）或“目标值”（达到某一水平）。")
_MAGNITUDE = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000),
              "百": Decimal(100)}
_NO_PREFIX = ("千瓦", "千瓦时", "千伏", "千米", "千克", "百分点")  # 千/百 here are part of the unit
RATIO_UNITS = ("%", "％", "个百分点", "百分点", "")
COUNT_UNITS = tuple("个 项 家 座 条 人 人次 户 张 部 头 只 所 处 辆 台 套 间 批 名".split())
GROUP_TITLES = {"ratio": "增速与比例", "total": "总量与规模", "count": "数量（个、项、家……）"}


# ---- names, kinds, units ------------------------------------------------------------------------

def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(c, 0, pos) for c in "。；\n") + 1


def indicator_names(doc, targets) -> dict[str, str]:
    """Target id -> a name that says what is measured, from the context the plan gives:

    - "A、B…数分别达到x和y" names each: 育肥牛出栏数, 育肥羊出栏数;
    - a total after another target of the sentence takes that one's subject: "新增新能源并网装机
      3000万千瓦，总规模…" -> 新能源并网装机总规模;
    - a short name after a clause without a figure takes that clause's subject: "发展林草产业，
      力争产值…" -> 林草产业产值;
    - a name still shared by targets of different paragraphs gets the paragraph's title:
      发电量（能源供应保障）, 发电量（新能源开发利用）."""
    names = {t.id: t.indicator for t in targets}
    by_clause: dict[tuple, list] = {}
    for t in targets:
        by_clause.setdefault((t.ref, t.text), []).append(t)
    for group in by_clause.values():
        first = group[0]
        parts = first.indicator.split("、")
        if "分别" in first.text and len(parts) == len(group) > 1 and all(t.indicator == first.indicator for t in group):
            stem = parts[0]
            suffix = parts[-1][len(stem):] if parts[-1].startswith(stem[:-1]) else ""
            for t, p in zip(group, parts, strict=True):
                names[t.id] = p if p.endswith(suffix) else p + suffix
    for t in targets:
        text = doc.get(t.ref).text
        start = _sentence_start(text, t.offset)
        earlier = [o for o in targets if o.ref == t.ref and start <= o.offset < t.offset]
        if t.indicator.startswith("总") and earlier:
            subject = re.sub(r"^(?:新增|新建|新改建|累计)", "", earlier[-1].indicator)
            names[t.id] = subject + t.indicator
        elif (len(t.indicator) <= 2 or t.indicator.endswith("额")) and not earlier:  # 产值, 交易额
            clause_start = max(text.rfind("，", 0, t.offset), start - 1) + 1
            before = text[start:clause_start].rstrip("，").split("，")[-1] if clause_start > start else ""
            subject = re.sub(r"^(?:发展|推进|推动|加快|做大|做强|壮大|高标准推进)", "", before).removesuffix("建设")
            if subject and not re.search(r"\d", subject) and len(subject) <= 10:
                names[t.id] = subject + t.indicator
    refs_of: dict[str, set] = {}
    for t in targets:
        refs_of.setdefault(names[t.id], set()).add(t.ref)
    return {t.id: f"{names[t.id]}（{doc.get(t.ref).title}）" if len(refs_of[names[t.id]]) > 1 else names[t.id]
            for t in targets}


NAMES = indicator_names(DOC, TARGETS)


def kind_label(t) -> str:
    """The qualifiers the plan writes, or, without any, 任务量 / 目标值 by the clause's verb."""
    if t.kind:
        return t.kind_text
    return "任务量" if t.text.startswith(WORK_VERBS) or t.indicator.startswith(WORK_VERBS) else "目标值"


def split_unit(unit: str) -> tuple[Decimal, str]:
    """(magnitude, base unit): 亿千瓦时 -> (1e8, 千瓦时), 万亩 -> (1e4, 亩), 千瓦 -> (1, 千瓦)."""
    if unit in _NO_PREFIX:
        return Decimal(1), unit
    for prefix, factor in _MAGNITUDE.items():
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix):]
    return Decimal(1), unit


def group_of(t) -> str:
    base = split_unit(t.unit)[1]
    return "ratio" if base in RATIO_UNITS else "count" if base in COUNT_UNITS else "total"


def target_rows(targets) -> list[list[str]]:
    return [[NAMES.get(t.id, t.indicator), t.value, t.unit, kind_label(t), t.ref, t.text] for t in targets]


def chapter_of(target) -> str:
    """The chapter a target counts under: its part (一…十四), or its own ref before part 一."""
    return target.part or target.ref


def targets_per_chapter(doc, targets) -> list[tuple[str, int]]:
    """(chapter, number of targets), chapters in reading order, empty ones left out."""
    counts = Counter(chapter_of(t) for t in targets)
    order = [n.ref for n in doc.nodes]
    return [(ref, counts[ref]) for ref in order if counts[ref]]


def target_chapter_choices(doc, targets) -> list[tuple[str, str]]:
    """The filter's choices: everything, then only the chapters (and 专栏) that hold targets."""
    refs = {t.ref for t in targets}
    return [(label, ref) for label, ref in chapter_choices(doc) if not ref or scope_refs(doc, ref) & refs]


# ---- the chart ----------------------------------------------------------------------------------

def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def chapters_chart_html(doc, targets) -> str:
    """All targets: one bar per chapter, labelled with its title, split by kind of figure."""
    rows = []
    per = {ref: Counter(group_of(t) for t in targets if chapter_of(t) == ref) for ref, _ in
           targets_per_chapter(doc, targets)}
    top = max((sum(c.values()) for c in per.values()), default=1)
    for ref, counts in per.items():
        title = ref_label(ref, doc.get(ref).title)
        segs = "".join(f'<span class="seg seg-{g}" style="width:{100 * counts[g] / top:.1f}%" '
                       f'title="{GROUP_TITLES[g]} {counts[g]} 项"></span>' for g in GROUP_TITLES if counts[g])
        rows.append(bar_row(title, segs, f"{sum(counts.values())} 项"))
    legend = "".join(f'<span class="legend"><span class="seg seg-{g}"></span>{esc(t)}</span>'
                     for g, t in GROUP_TITLES.items())
    return (f'<div class="chart" data-chart="chapters"><h4>各章节的量化指标（共 {len(targets)} 项）</h4>'
            f'<div class="chart-legend">{legend}</div><div class="chart-grid">{"".join(rows)}</div>'
            '<p class="muted">选择一个章节，查看其每项指标的数值。</p></div>')


def bar_row(label: str, segs: str | None, value: str) -> str:
    """One row of a chart grid (label | bar | value; the grid lines every row's bar up with the
    others'). `segs` None: a lone figure, which a bar would only stretch across the chart, so its
    value stands beside its label instead."""
    head = f'<div class="bar-row"><span class="bar-label" title="{esc(label)}">{esc(_short(label))}</span>'
    if segs is None:
        return head + f'<span class="bar-value lone">{esc(value)}</span></div>'
    return head + f'<span class="bar-track">{segs}</span><span class="bar-value">{esc(value)}</span></div>'


def chapter_chart_html(doc, targets, chapter: str) -> str:
    """One chapter's targets: grouped by kind of figure, one panel per unit family (% · 亿元 and 万亿元 …),
    a bar per target as long as its value within the panel, labelled with its name, value and unit;
    a panel of one target shows its value without a bar (there is nothing to compare it with)."""
    title = ref_label(chapter, doc.get(chapter).title)
    if not targets:
        return f'<div class="chart"><h4>{esc(title)}</h4><p class="muted">这一章节没有量化指标。</p></div>'
    panels = []
    for g, gtitle in GROUP_TITLES.items():
        members = [t for t in targets if group_of(t) == g]
        bases = list(dict.fromkeys(split_unit(t.unit)[1] for t in members))
        for base in bases:
            same = [t for t in members if split_unit(t.unit)[1] == base]
            amounts = {t.id: Decimal(t.value.replace(",", "")) * split_unit(t.unit)[0] for t in same}
            top = max(amounts.values()) or Decimal(1)
            rows = "".join(
                bar_row(NAMES.get(t.id, t.indicator),
                        None if len(same) == 1 else
                        f'<span class="seg seg-{g}" style="width:{max(2.0, float(100 * amounts[t.id] / top)):.1f}%">'
                        "</span>",
                        t.amount + (t.kind and "（" + t.kind_text + "）" or ""))
                for t in same)
            unit = f"（单位：{base}）" if base else "（系数）"
            panels.append(f'<h5 class="chart-panel">{esc(gtitle)}{esc(unit)}</h5>{rows}')
    return (f'<div class="chart" data-chart="{esc(chapter)}"><h4>{esc(title)}：{len(targets)} 项量化指标</h4>'
            f'<div class="chart-grid">{"".join(panels)}</div></div>')


def targets_cards_html(targets) -> str:
    """The table as cards, for a narrow screen: name, value and unit large, kind, ref, the clause."""
    cards = "".join(
        f'<div class="card"><div class="card-title">{esc(NAMES.get(t.id, t.indicator))}</div>'
        f'<div class="card-figure">{esc(t.amount)}<span class="card-kind">{esc(kind_label(t))}</span></div>'
        f'<div class="card-meta">[{esc(t.ref)}] {esc(t.text)}</div></div>' for t in targets)
    return f'<div class="cards" id="targets-card-list">{cards}</div>'


# ---- exports ------------------------------------------------------------------------------------

def table_markdown(headers, rows) -> str:
    def cell(v) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]) + "\n"


def write_table(headers, rows, stem: str, folder: Path, sheet: str) -> list[str]:
    """CSV (with a BOM, for Excel), XLSX and Markdown of one table, headers as on screen."""
    from openpyxl import Workbook

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    (folder / f"{stem}.csv").write_text(buf.getvalue(), encoding="utf-8-sig")
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    ws.freeze_panes = "A2"
    wb.save(folder / f"{stem}.xlsx")
    (folder / f"{stem}.md").write_text(f"# {stem}\n\n" + table_markdown(headers, rows), encoding="utf-8")
    return [str(folder / f"{stem}.{ext}") for ext in ("csv", "xlsx", "md")]


def targets_files(chapter: str) -> list[str]:
    """(CSV, XLSX, Markdown) of the targets under `chapter` ("" = all)."""
    rows = target_rows(filter_targets(DOC, TARGETS, chapter or None))
    stem = f"2026计划指标-{chapter or '全部'}"
    folder = export_folder("targets", [chapter, rows], lambda f: write_table(TARGET_HEADERS, rows, stem, f, "指标"))
    return [str(folder / f"{stem}.{ext}") for ext in ("csv", "xlsx", "md")]


def targets_file(chapter: str) -> str:
    return targets_files(chapter)[0]


# ---- callbacks and the tab ---------------------------------------------------------------------

def chosen(chapter: str):
    try:
        return filter_targets(DOC, TARGETS, chapter or None)
    except UnknownRef as e:
        raise gr.Error(str(e)) from e


def targets_table(chapter: str) -> pd.DataFrame:
    return pd.DataFrame(target_rows(chosen(chapter)), columns=TARGET_HEADERS)


def chart_html(chapter: str) -> str:
    targets = chosen(chapter)
    return chapter_chart_html(DOC, targets, chapter) if chapter else chapters_chart_html(DOC, targets)


def show_targets(chapter: str):
    """(table, CSV, XLSX, Markdown, count line, chart, cards) of the targets under `chapter`."""
    targets = chosen(chapter)
    table = pd.DataFrame(target_rows(targets), columns=TARGET_HEADERS)
    csv_path, xlsx_path, md_path = targets_files(chapter)
    return (table, csv_path, xlsx_path, md_path, f"共 **{len(table)}** 项量化指标。", chart_html(chapter),
            targets_cards_html(targets))


def build_tab() -> None:
    csv0, xlsx0, md0 = targets_files("")
    with gr.Tab("指标", id="targets") as tab:
        compare.build(tab)  # across the library's documents, shown once it holds more than the plan
        with gr.Row(equal_height=True, elem_classes="filter-row"):
            chapter = gr.Dropdown(target_chapter_choices(DOC, TARGETS), value="", label="按章节筛选", scale=4,
                                  elem_id="targets-chapter")
        with gr.Row(equal_height=True, elem_classes="count-row"):
            count = gr.Markdown(f"共 **{len(TARGETS)}** 项量化指标。", elem_id="targets-count")
            downloads = [gr.DownloadButton(label, value=v, size="sm", scale=0, min_width=90, elem_id=eid,
                                           elem_classes="download")
                         for label, v, eid in (("下载 CSV", csv0, "download-csv"), ("下载 Excel", xlsx0, "download-xlsx"),
                                               ("下载 Markdown", md0, "download-md"))]
        chart = gr.HTML(chart_html(""), elem_id="targets-chart")
        table = gr.Dataframe(targets_table(""), interactive=False, wrap=True, max_height=520,
                             show_search="search", column_widths=["18%", "8%", "9%", "9%", "14%", "42%"],
                             elem_id="targets-table", elem_classes="wide-only")
        cards = gr.HTML(targets_cards_html(TARGETS), elem_id="targets-cards", elem_classes="narrow-only")
        gr.Markdown(KIND_NOTE, elem_classes="muted")
        chapter.change(show_targets, chapter, [table, *downloads, count, chart, cards], api_name="targets")
