"""指标: every quantitative target of the plan as a table, filtered by chapter, with its CSV."""

from __future__ import annotations

from collections import Counter

import gradio as gr
import pandas as pd

from ..refs import UnknownRef
from ..targets import filter_targets, targets_csv
from .html import chapter_choices
from .state import DOC, TARGETS, export_root

TARGET_HEADERS = ["指标", "数值", "单位", "类型", "引用", "原文"]


def target_rows(targets) -> list[list[str]]:
    return [[t.indicator, t.value, t.unit, t.kind_text, t.ref, t.text] for t in targets]


def chapter_of(target) -> str:
    """The bar a target counts under: its part (一…十四), or its own ref before part 一."""
    return target.part or target.ref


def targets_per_chapter(doc, targets) -> list[tuple[str, int]]:
    """(chapter, number of targets), chapters in reading order, empty ones left out."""
    counts = Counter(chapter_of(t) for t in targets)
    order = [n.ref for n in doc.nodes]
    return [(ref, counts[ref]) for ref in order if counts[ref]]


# ---- callbacks and the tab ---------------------------------------------------------------------

def targets_file(chapter: str) -> str:
    """The CSV of the targets under `chapter` ("" = all), with a BOM so Excel reads the Chinese."""
    path = export_root() / f"2026计划指标-{chapter or '全部'}.csv"
    path.write_text(targets_csv(filter_targets(DOC, TARGETS, chapter or None)), encoding="utf-8-sig")
    return str(path)


def targets_table(chapter: str) -> pd.DataFrame:
    try:
        chosen = filter_targets(DOC, TARGETS, chapter or None)
    except UnknownRef as e:
        raise gr.Error(str(e)) from e
    return pd.DataFrame(target_rows(chosen), columns=TARGET_HEADERS)


def show_targets(chapter: str):
    table = targets_table(chapter)
    return table, targets_file(chapter), f"共 **{len(table)}** 项量化指标。"


def build_tab() -> None:
    counts = targets_per_chapter(DOC, TARGETS)
    with gr.Tab("指标", id="targets"):
        with gr.Row():
            chapter = gr.Dropdown(chapter_choices(DOC), value="", label="按章节筛选", scale=4)
            with gr.Column(scale=1, min_width=160):
                download = gr.DownloadButton("下载 CSV", value=targets_file(""), size="md", elem_id="download-csv")
        count = gr.Markdown(f"共 **{len(TARGETS)}** 项量化指标。")
        table = gr.Dataframe(targets_table(""), interactive=False, wrap=True, max_height=520,
                             show_search="search", column_widths=["18%", "8%", "9%", "9%", "14%", "42%"],
                             elem_id="targets-table")
        gr.BarPlot(pd.DataFrame(counts, columns=["部分", "指标数"]), x="部分", y="指标数",
                   sort=[c for c, _ in counts], title="各部分的量化指标数", height=300)
        chapter.change(show_targets, chapter, [table, download, count], api_name="targets")
