"""原文: the plan by its outline, any section, full-text search, the 专栏 as tables."""

from __future__ import annotations

import re

import gradio as gr

from ..refs import UnknownRef
from .html import esc, highlight, ref_label, user_markdown
from .state import DOC

SENTENCE = re.compile(r"[^。；！？!?\n]+[。；！？!?]?")


_DEPTH = {"section": 1, "column": 1, "row": 2}


def outline_choices(doc) -> list[tuple[str, str]]:
    """(label, ref) for every node in reading order, indented by depth:
    ("　[四(三)] 加强矿产资源开发利用", "四(三)")."""
    return [("　" * _DEPTH.get(n.kind, 0) + ref_label(n.ref, n.title), n.ref) for n in doc.walk()]


def paragraphs_html(text: str, needles=()) -> str:
    return "".join(f"<p>{highlight(p, needles, ignore_case=True)}</p>" for p in text.split("\n") if p.strip())


def column_table(rows, needles=()) -> str:
    """专栏 rows as a table: area label | its targets, one per line."""
    body = "".join(
        f'<tr><th scope="row">{highlight(r.title, needles, True)}</th>'
        f"<td>{paragraphs_html(r.text, needles)}</td></tr>"
        for r in rows
    )
    return f'<table class="column"><thead><tr><th>领域</th><th>重点任务目标</th></tr></thead><tbody>{body}</tbody></table>'


def node_html(node, needles=()) -> str:
    """A node as the 原文 tab shows it: heading, paragraphs; a part with its sections and 专栏;
    a 专栏 (or one of its rows) as a table."""
    head = f'<h3 class="node-title">{esc(ref_label(node.ref, node.title))}</h3>'
    if node.kind == "column":
        return head + column_table(node.children, needles)
    if node.kind == "row":
        return head + column_table([node], needles)
    body = paragraphs_html(node.text, needles)
    for child in node.children:
        title = f'<h4>{esc(ref_label(child.ref, child.title))}</h4>'
        if child.kind == "column":
            body += title + column_table(child.children, needles)
        else:
            body += title + paragraphs_html(child.full_text(), needles)
    return f'<div class="node">{head}{body}</div>'


def search_plan(doc, query: str, limit: int = 100) -> list[tuple[str, str, str]]:
    """(ref, title, sentence) for each sentence of the plan containing `query` (case-insensitive),
    in reading order; a 专栏 row's label counts as its first sentence."""
    q = (query or "").strip().casefold()
    if not q:
        return []
    hits = []
    for node in doc.walk():
        text = f"{node.title}\n{node.text}" if node.kind == "row" else node.text
        for m in SENTENCE.finditer(text or ""):
            sentence = m.group().strip()
            if q in sentence.casefold():
                hits.append((node.ref, node.title, sentence))
                if len(hits) >= limit:
                    return hits
    return hits


def search_choices(hits, width: int = 70) -> list[tuple[str, str]]:
    """Search hits as Radio choices: ("[四(三)] 持续推动矿产资源综合利用…", "四(三)"), one per ref."""
    seen, out = set(), []
    for ref, _title, sentence in hits:
        if ref in seen:
            continue
        seen.add(ref)
        short = sentence if len(sentence) <= width else sentence[: width - 1] + "…"
        out.append((f"[{ref}] {short}", ref))
    return out


# ---- callbacks and the tab ---------------------------------------------------------------------

def open_section(ref: str | None, query: str | None = None) -> str:
    if not ref:
        return ""
    try:
        node = DOC.get(ref)
    except UnknownRef as e:
        raise gr.Error(str(e)) from e
    return node_html(node, [query.strip()] if query and query.strip() else ())


def open_match(ref: str | None, query: str | None):
    if not ref:
        return gr.skip(), gr.skip()
    return ref, open_section(ref, query)


def search(query: str):
    """(matching refs as Radio choices, a count line)."""
    hits = search_plan(DOC, query)
    choices = search_choices(hits)
    if not (query or "").strip():
        return gr.update(choices=[], value=None), ""
    if not hits:
        return gr.update(choices=[], value=None), f"原文中没有“{user_markdown(query.strip())}”。"
    return (gr.update(choices=choices, value=None),
            f"共 {len(hits)} 句、{len(choices)} 个段落包含“{user_markdown(query.strip())}”，点击打开：")


def build_tab() -> None:
    first = "主要预期目标" if "主要预期目标" in DOC.by_ref else DOC.nodes[0].ref
    with gr.Tab("原文", id="source"):
        with gr.Row():
            with gr.Column(scale=2, min_width=280):
                outline = gr.Dropdown(outline_choices(DOC), value=first, label="目录（可输入文字筛选）",
                                      filterable=True, elem_id="outline")
                query = gr.Textbox(label="全文搜索", placeholder="如：稀土、防沙治沙、840亿斤", submit_btn="搜索",
                                   elem_id="plan-search")
                found = gr.Markdown()
                matches = gr.Radio([], label="匹配的段落", elem_id="matches")
            with gr.Column(scale=5):
                section = gr.HTML(open_section(first), elem_id="section")
        outline.change(open_section, [outline, query], section, api_name="show")
        query.submit(search, query, [matches, found], api_name="search")
        # opening a match moves the outline to it too, which (re)draws the section
        matches.change(open_match, [matches, query], [outline, section], api_visibility="private")
