"""指标, across documents: choose an indicator, see one value per document of the library (its first
statement of the indicator as that document's target, from the documents' targets tables:
answering.compare.rows_by_indicator) as a table with refs and as a chart. Part of the 指标 tab
(targets.build_tab builds it), shown once the 文库 holds more than the plan.
"""

from __future__ import annotations

import gradio as gr

from ..answering.compare import rows_by_indicator
from ..documents.indicators import known_indicator
from ..errors import LibraryError
from . import shelf, state
from .html import esc

_rows: dict = {}  # the last library's rows, by its documents' ids, contents and labels


def all_rows(lib=None) -> dict:
    """Indicator key -> one row per document stating it, for every document of the library (kept until
    the library changes: nine reports take seconds to read); a document that cannot be read is left out
    (and logged), never the whole view."""
    lib = lib or shelf.library()
    signature = tuple((e.id, e.sha256, e.label, e.year, e.region) for e in lib.entries)
    if signature not in _rows:
        _rows.clear()
        _rows[signature] = rows_of(lib)
    return _rows[signature]


def rows_of(lib) -> dict:
    docs = []
    for entry in lib.entries:
        try:
            docs.append(shelf.tree_of(entry.id, lib))
        except (LibraryError, OSError):
            state.log.exception("reading %s for the comparison failed", entry.id)
    return rows_by_indicator(docs)


def indicator_choices(rows: dict) -> list[tuple[str, str]]:
    """Indicators stated by most documents first: ("地区生产总值增长（2 份文件）", "地区生产总值增长"); only
    those of the indicator table (indicator_names.tsv) or stated by two documents or more, so that the
    list is of what can be compared, not of every target's own wording."""
    shown = {k: v for k, v in rows.items() if len(v) > 1 or known_indicator(k)}
    ordered = sorted(shown.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(f"{key}（{len(found)} 份文件）", key) for key, found in ordered]


def compare_html(key: str | None, rows: dict) -> str:
    """The chosen indicator: a table (document, year, region, value as written, ref) and a bar per
    document, as long as its value among those of the same unit."""
    found = rows.get(key or "") or []
    if not found:
        return '<p class="muted">选择一个指标，查看各文件的目标值。</p>'
    table = "".join(
        f"<tr><td>{esc(r.label)}</td><td>{esc(r.year or '')}</td><td>{esc(r.region)}</td>"
        f"<td>{esc(r.value.text)}</td><td>[{esc(r.ref)}]</td>"
        f'<td class="compare-text">{esc(r.text)}</td></tr>' for r in found)
    panels = []
    for unit in dict.fromkeys(r.value.unit for r in found):
        same = [r for r in found if r.value.unit == unit]
        top = max(r.level for r in same) or 1.0
        bars = "".join(
            f'<div class="bar-row"><span class="bar-label" title="{esc(r.label)}">{esc(r.label)}</span>'
            f'<span class="bar-track"><span class="seg seg-ratio" style="width:{max(2.0, 100 * r.level / top):.1f}%">'
            f'</span></span><span class="bar-value">{esc(r.value.text)}</span></div>' for r in same)
        panels.append(f'<h5 class="chart-panel">单位：{esc(unit or "无")}</h5>{bars}')
    return (f'<div class="chart" data-chart="compare"><h4>{esc(key)}：{len(found)} 份文件</h4>'
            f'<div class="chart-grid">{"".join(panels)}</div></div>'
            '<div class="table-scroll"><table class="admin-table compare-table"><thead><tr><th>文件</th><th>年份</th>'
            f'<th>地区</th><th>目标值</th><th>出处</th><th>原文</th></tr></thead><tbody>{table}</tbody></table></div>')


# ---- callbacks and the part --------------------------------------------------------------------

def refresh(key: str | None):
    """On entering the tab: (the box shown once there is more than the plan, the indicators, the view)."""
    lib = shelf.library()
    if len(lib.entries) < 2:
        return gr.update(visible=False), gr.update(choices=[], value=None), ""
    rows = all_rows(lib)
    choices = indicator_choices(rows)
    keep = key if key in rows else (choices[0][1] if choices else None)
    return gr.update(visible=True), gr.update(choices=choices, value=keep), compare_html(keep, rows)


def show(key: str | None) -> str:
    return compare_html(key, all_rows())


def build(tab: gr.Tab) -> None:
    """The part inside the 指标 tab; refreshed whenever the tab is entered."""
    with gr.Accordion("跨文件对比（文库中各文件的同一指标）", open=True, visible=False, elem_id="compare-box") as box:
        indicator = gr.Dropdown([], label="指标", allow_custom_value=True, elem_id="compare-indicator")
        view = gr.HTML(elem_id="compare-view")
    indicator.input(show, indicator, view, api_name="compare", api_visibility="private")
    tab.select(refresh, indicator, [box, indicator, view], api_visibility="private")
