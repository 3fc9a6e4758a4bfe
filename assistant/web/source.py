"""原文: the plan by its outline (a collapsible tree beside the text, filtered as typed), any
section, full-text search, the 专栏 as tables; any document of the library (文库) by the chooser above
the outline, the primary plan by default.

The tree is plain HTML; the page script (page.js) sends a clicked entry's ref through the hidden
#outline-ref box, whose submit event opens the section (API name "show")."""

from __future__ import annotations

import re

import gradio as gr

from ..documents.refs import UnknownRef
from ..errors import LibraryError
from . import shelf
from .html import esc, highlight, ref_label, user_markdown
from .state import DOC

SENTENCE = re.compile(r"[^。；！？!?\n]+[。；！？!?]?")


_DEPTH = {"section": 1, "column": 1, "row": 2}


def outline_choices(doc) -> list[tuple[str, str]]:
    """(label, ref) for every node in reading order, indented by depth:
    ("　[四(三)] 加强矿产资源开发利用", "四(三)")."""
    return [("　" * _DEPTH.get(n.kind, 0) + ref_label(n.ref, n.title), n.ref) for n in doc.walk()]


def outline_tree_html(doc, current: str | None = None) -> str:
    """The outline as nested lists: each part a <details> (collapsed, except the one holding
    `current`) with its sections and 专栏 (a 专栏 with its rows); a filter box on top.

    >>> from assistant.documents.parse import load
    >>> tree = outline_tree_html(load(), "四(三)")
    >>> tree.count('class="toc-item'), '<details open><summary><a class="toc-item" href="#" data-ref="四"' in tree
    (84, True)
    """
    def item(n) -> str:
        here = " current" if n.ref == current else ""
        label = ref_label(n.ref, n.title)
        return f'<a class="toc-item{here}" href="#" data-ref="{esc(n.ref)}" title="{esc(label)}">{esc(label)}</a>'

    def holds(n) -> bool:
        return n.ref == current or any(holds(c) for c in n.children)

    def entry(n) -> str:
        if not n.children:
            return f"<li>{item(n)}</li>"
        inner = "".join(entry(c) for c in n.children)
        return (f'<li><details{" open" if holds(n) else ""}><summary>{item(n)}</summary>'
                f"<ul>{inner}</ul></details></li>")

    return ('<nav class="toc" aria-label="目录">'
            '<input id="outline-filter" type="search" placeholder="筛选目录，如：稀土、专栏2" autocomplete="off">'
            '<p id="outline-none" class="muted" hidden>没有匹配的目录项</p>'
            f'<ul class="toc-root">{"".join(entry(n) for n in doc.nodes)}</ul></nav>')


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
    if node.kind in ("column", "row"):
        table = column_table(node.children if node.kind == "column" else [node], needles)
        return f'<div class="node" data-ref="{esc(node.ref)}">{head}{table}</div>'
    body = paragraphs_html(node.text, needles)
    for child in node.children:
        title = f'<h4>{esc(ref_label(child.ref, child.title))}</h4>'
        if child.kind == "column":
            body += title + column_table(child.children, needles)
        else:
            body += title + paragraphs_html(child.full_text(), needles)
    return f'<div class="node" data-ref="{esc(node.ref)}">{head}{body}</div>'


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

def document(key: str | None):
    """The chosen document's tree (the primary's for none); a document removed meanwhile is one message."""
    try:
        return shelf.tree_of(key)[1]
    except LibraryError as e:
        raise gr.Error(str(e)) from e


def first_ref(doc) -> str:
    return next((n.ref for n in doc.nodes if n.ref.endswith("主要预期目标")), doc.nodes[0].ref)


def open_section(ref: str | None, query: str | None = None, key: str | None = None) -> str:
    if not (ref or "").strip():
        raise gr.Error("请从目录中选择一节")
    try:
        node = document(key).get(ref.strip())
    except UnknownRef as e:
        raise gr.Error(str(e)) from e
    return node_html(node, [query.strip()] if query and query.strip() else ())


def open_match(ref: str | None, query: str | None, key: str | None = None):
    if not ref:
        return gr.skip(), gr.skip()
    return ref, open_section(ref, query, key)


def open_document(key: str | None):
    """Another document chosen: (its outline, the ref shown, its first section, search cleared)."""
    doc = document(key)
    ref = first_ref(doc)
    return (outline_tree_html(doc, ref), ref, open_section(ref, None, key), "",
            gr.update(choices=[], value=None), "")


def refresh_choices(key: str | None):
    """The chooser as the library now is (on entering the tab); a removed document falls back to the primary."""
    choices = shelf.document_choices()
    keep = key if key in {i for _, i in choices} else choices[0][1]
    return gr.update(choices=choices, value=keep)


def search(query: str, key: str | None = None):
    """(matching refs as Radio choices, a count line, the section shown). A search with no hit
    clears the section, so no earlier paragraph or highlight stays on screen as if it matched."""
    q = (query or "").strip()
    if not q:
        return gr.update(choices=[], value=None), "", gr.skip()
    hits = search_plan(document(key), q)
    choices = search_choices(hits)
    if not hits:
        line = f"原文中没有“{user_markdown(q)}”。"
        return (gr.update(choices=[], value=None), line,
                f'<p class="muted no-hit">原文中没有“{esc(q)}”，请换个词搜索，或从左侧目录选择。</p>')
    return (gr.update(choices=choices, value=None),
            f"共 {len(hits)} 句、{len(choices)} 个段落包含“{user_markdown(q)}”，点击打开：", gr.skip())


def build_tab() -> None:
    first = first_ref(DOC)
    with gr.Tab("原文", id="source") as tab:
        with gr.Row(elem_id="source-row"):
            with gr.Column(scale=2, min_width=260, elem_id="outline-col"):
                choices = shelf.document_choices()
                chosen = gr.Dropdown(choices, value=choices[0][1], label="文件", allow_custom_value=True,
                                     elem_id="source-doc")
                tree = gr.HTML(outline_tree_html(DOC, first), elem_id="outline-tree", padding=False)
                outline = gr.Textbox(first, visible="hidden", elem_id="outline-ref")
            with gr.Column(scale=5):
                query = gr.Textbox(label="全文搜索", placeholder="如：稀土、防沙治沙、840亿斤", submit_btn="搜索",
                                   elem_id="plan-search")
                found = gr.Markdown(elem_id="search-found")
                matches = gr.Radio([], label="匹配的段落", elem_id="matches")
                section = gr.HTML(open_section(first), elem_id="section")
        outline.submit(open_section, [outline, query, chosen], section, api_name="show")
        query.submit(search, [query, chosen], [matches, found, section], api_name="search")
        matches.change(open_match, [matches, query, chosen], [outline, section], api_visibility="private")
        chosen.input(open_document, chosen, [tree, outline, section, query, matches, found], api_name="open_document",
                     api_visibility="private")
        tab.select(refresh_choices, chosen, chosen, queue=False, api_visibility="private")
