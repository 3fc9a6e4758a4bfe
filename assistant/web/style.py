"""The look of the app: the Gradio theme, the page's CSS and the Chinese for Gradio's own texts that
its zh-CN table lacks (all passed to `launch()`), and the page script (page.js) as a component that
runs it on load."""

from importlib import resources

import gradio as gr

THEME = gr.themes.Default(
    primary_hue="red", neutral_hue="slate",
    font=[gr.themes.LocalFont("Source Sans Pro"), "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
          "PingFang SC", "ui-sans-serif", "system-ui", "sans-serif"],
)
# Gradio's own texts its zh-CN table leaves in English (the page is zh-CN whatever the browser's language:
# head.js); the keys are Gradio's, from its en.json
GRADIO_ZH = gr.I18n(**{"zh-CN": {
    "chatbot.copy_message": "复制", "chatbot.copied_message": "已复制", "chatbot.complete": "完成",
    "common.complete": "完成", "common.download_all": "全部下载", "common.progress": "进度", "common.run": "运行",
    "status.queue_position": "排队中：第 {position} 位，共 {size} 位",
    "dataframe.filter": "筛选", "dataframe.clear_filter": "清除筛选",
}})
CSS = """
.sources details.cite { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 6px 10px; margin: 6px 0; background: var(--background-fill-secondary); }
.sources summary { cursor: pointer; font-weight: 600; }
.sources blockquote { margin: 6px 0; padding: 2px 8px; border-left: 3px solid #f0b400; }
.sources .cite-text { line-height: 1.7; margin-top: 4px; }
.cite-ref { color: var(--color-accent); }
mark { background: #ffe58f; color: #000; padding: 0 1px; border-radius: 2px; }
.notice { background: #fff4e5; color: #7a4100; border: 1px solid #f0a020; border-radius: 6px;
  padding: 6px 10px; margin-bottom: 8px; }
.muted { color: var(--body-text-color-subdued); }
#section .node p { line-height: 1.8; margin: 0 0 .6em; }
table.column { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
table.column th, table.column td { border: 1px solid var(--border-color-primary); padding: 6px 10px;
  vertical-align: top; text-align: left; }
table.column th[scope=row] { width: 11em; background: var(--background-fill-secondary); }
table.column td p { margin: 0 0 .3em; }
.examples { align-items: center; gap: 6px; }
.examples > * { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important; }
.examples-label { align-self: center; }
.q-slot { gap: 6px !important; }
.q-prompt { font-size: var(--text-lg); line-height: 1.7; }
.q-num { font-weight: 700; }
.q-kind { color: var(--color-accent); font-weight: 600; }
.q-feedback { padding: 8px 12px; border-radius: 6px; background: var(--background-fill-primary);
  border: 1px solid var(--border-color-primary); line-height: 1.7; }
.q-verdict { font-weight: 600; }
.q-verdict.ok { color: #237804; }
.q-verdict.bad { color: #a8071a; }
.q-score { font-size: 1.25em; padding: 10px 14px; border: 2px solid var(--color-accent); border-radius: 8px; }
.import-report ul { margin: .3em 0 0 1.2em; }
.import-report .bad { color: #a8071a; }
.import-report .warn { color: #7a4100; }
/* the page head: title, and the signed-in user with 退出登录 */
#page-head { align-items: flex-start; flex-wrap: nowrap; gap: 12px; }
#page-head > #page-title { flex: 1 1 auto !important; }
#page-head > #account { flex: 0 0 auto !important; width: auto !important; min-width: 0 !important; }
.account { display: flex; gap: 10px; align-items: center; white-space: nowrap; font-size: var(--text-sm);
  padding-top: 6px; }
.account .logout { color: var(--color-accent); border: 1px solid var(--color-accent); border-radius: 6px;
  padding: 2px 10px; text-decoration: none; }
.account .logout:hover { background: #fff1f0; }
.admin-error { color: #a8071a; font-weight: 600; }
/* 问答 */
.chat-head { align-items: center; justify-content: space-between; flex-wrap: nowrap !important; gap: 8px; }
.chat-head > * { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important; }
.chat-title, .list-title { margin: 0; font-size: var(--text-lg); }
#new-chat { margin-left: auto; }
#question-counter { font-size: var(--text-sm); text-align: right; margin: -4px 4px 0; }
#question-counter.over { color: #a8071a; font-weight: 600; }
.ref-link { color: var(--color-accent); text-decoration: none; border-bottom: 1px dashed currentColor;
  cursor: pointer; white-space: nowrap; }
.ref-link:hover { background: #fff1f0; }
.mode-badge { display: inline-block; font-size: 12px; line-height: 1.6; padding: 0 8px; margin: 4px 6px 0 0;
  border-radius: 10px; background: var(--background-fill-secondary); color: var(--body-text-color-subdued);
  border: 1px solid var(--border-color-primary); user-select: none; }
.ref-card { position: relative; margin: 4px 12px 10px; padding: 10px 34px 10px 12px; border-radius: 8px;
  border: 1px solid #f0b400; background: var(--background-fill-primary); box-shadow: 0 2px 10px rgba(0,0,0,.12);
  line-height: 1.7; max-height: 320px; overflow: auto; }
.ref-card-title { font-weight: 600; margin-bottom: 4px; }
.ref-card-close { position: absolute; top: 4px; right: 8px; font-size: 20px; background: none; border: 0;
  cursor: pointer; color: var(--body-text-color-subdued); }
.sources .turn-sources { display: none; }
.sources .turn-sources.shown { display: block; }
.turn-head { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
.turn-no { font-weight: 600; }
.turn-q { color: var(--body-text-color-subdued); overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  max-width: 100%; }
.answer-selected .message:not(.thought) { outline: 2px solid #f0b400; border-radius: 8px; }
.sources-jump { font-size: 12px; line-height: 1.6; padding: 0 8px; margin: 4px 0 0; border-radius: 10px;
  border: 1px solid var(--color-accent); color: var(--color-accent); background: none; cursor: pointer; }
details.cite.flash { box-shadow: 0 0 0 3px #f0b400; }
/* 原文 */
#outline-col { position: sticky; top: 8px; align-self: flex-start; }
.toc { max-height: calc(100vh - 140px); overflow: auto; border: 1px solid var(--border-color-primary);
  border-radius: 8px; padding: 8px; background: var(--background-fill-primary); }
#outline-filter { width: 100%; box-sizing: border-box; padding: 6px 8px; margin-bottom: 6px;
  border: 1px solid var(--border-color-primary); border-radius: 6px; font-size: var(--text-md); }
.toc ul { list-style: none; margin: 0; padding-left: 0; }
.toc ul ul { padding-left: 1em; }
.toc li[hidden] { display: none; }
.toc summary { cursor: pointer; display: flex; align-items: baseline; gap: 2px; }
.toc summary::before { content: '▸'; color: var(--body-text-color-subdued); }
.toc details[open] > summary::before { content: '▾'; }
.toc summary::-webkit-details-marker { display: none; }
.toc, .toc * { text-align: left; }
.toc summary { list-style: none; }
.toc-item { display: inline-block; padding: 2px 4px; color: var(--body-text-color); text-decoration: none;
  border-radius: 4px; line-height: 1.5; }
.toc-item:hover { background: var(--background-fill-secondary); }
.toc-item.current { background: #fff1b8; font-weight: 600; }
@media (max-width: 900px) {
  #outline-col { position: static; }
  .toc { max-height: 40vh; }
}
/* 指标: the chart */
.chart { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; }
.chart h4 { margin: 0 0 6px; } .chart h5 { margin: 8px 0 4px; color: var(--body-text-color-subdued); }
.chart-legend { margin-bottom: 6px; }
/* one grid per chart, its rows' cells in it (display: contents), so every bar starts and ends at the
   same place whatever its label or value; a bar is at most 40em long, never the whole page */
.chart-grid { display: grid; grid-template-columns: minmax(8em, 16em) minmax(6em, 40em) max-content;
  column-gap: 8px; row-gap: 6px; align-items: center; font-size: var(--text-sm); }
.bar-row { display: contents; }
.chart-grid .chart-panel { grid-column: 1 / -1; margin: 6px 0 0; }
.bar-value.lone { grid-column: 2 / -1; }
.bar-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar-track { display: flex; height: 14px; background: var(--background-fill-secondary); border-radius: 3px; }
.seg { display: inline-block; height: 14px; }
.seg-ratio { background: #cf1322; } .seg-total { background: #fa8c16; } .seg-count { background: #1677ff; }
.legend .seg { width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
.legend { margin-right: 12px; font-size: var(--text-sm); }
.bar-value { white-space: nowrap; font-variant-numeric: tabular-nums; }
/* 管理 */
.figures { display: flex; flex-wrap: wrap; gap: 8px; }
.figure { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 12px; min-width: 9em;
  background: var(--background-fill-primary); }
.figure-key { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.figure-value { font-size: 1.2em; font-weight: 700; font-variant-numeric: tabular-nums; }
table.admin-table { border-collapse: collapse; width: 100%; font-size: var(--text-sm); }
table.admin-table th, table.admin-table td { border: 1px solid var(--border-color-primary); padding: 4px 8px;
  vertical-align: top; text-align: left; }
table.admin-table th { background: var(--background-fill-secondary); white-space: nowrap; }
.table-scroll { overflow-x: auto; }
.library-table td:nth-child(3) { min-width: 14em; }
.admin-answer { max-height: 9em; overflow: auto; white-space: pre-wrap; min-width: 16em; }
#feedback-reason { border: 1px solid #f0a020; border-radius: 8px; padding: 6px; }
/* cards for narrow screens */
.narrow-only { display: none !important; }
.cards .card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 6px 0;
  background: var(--background-fill-primary); }
.card-title { font-weight: 600; line-height: 1.5; }
.card-figure { font-size: 1.3em; font-weight: 700; color: var(--color-accent); }
.card-kind { font-size: 12px; font-weight: 400; margin-left: 8px; color: var(--body-text-color-subdued); }
.card-line { line-height: 1.6; } .card-key { color: var(--body-text-color-subdued); margin-right: 6px; }
.card-meta { color: var(--body-text-color-subdued); font-size: var(--text-sm); margin-top: 2px; }
.count-row { align-items: center; flex-wrap: wrap; gap: 8px; }
.count-row > .download, .download { flex: 0 0 auto !important; width: auto !important; min-width: 0 !important; }
.q-verdict.skip { color: #7a4100; }
.import-error .bad { font-weight: 600; }
@media (max-width: 640px) {
  .wide-only { display: none !important; }
  /* the question box on the first screen: a short head, every tab in one line, the chat first and
     shorter, the conversation list after the sources */
  #page-title h2 { font-size: 1.05rem; line-height: 1.35; margin: 0 0 2px; }
  #page-title .muted { font-size: 12px; }
  #page-head .account .muted { display: none; }
  .tab-wrapper button, button[role=tab] { padding-left: 8px !important; padding-right: 8px !important; }
  #chat-col { order: 1; } #sources-col { order: 2; } #conversation-col { order: 3; }
  #chatbot { height: min(540px, 42vh) !important; }
  .narrow-only { display: block !important; }
  .chart-grid { grid-template-columns: minmax(5em, 7.5em) minmax(4em, 1fr) max-content; column-gap: 6px; }
  .count-row > .prose, #task-count, #targets-count { flex: 1 1 100% !important; }
  .download button, button.download, .download { padding: 4px 10px !important; font-size: var(--text-sm) !important;
    height: auto !important; max-width: 48%; }
  .chat-head { flex-wrap: nowrap !important; }
  .examples-label { flex-basis: 100% !important; }
}
"""


def page_script() -> gr.HTML:
    """An empty component whose js_on_load runs page.js once, when the page loads."""
    js = resources.files("assistant.web").joinpath("page.js").read_text(encoding="utf-8")
    return gr.HTML("", js_on_load=js, elem_id="page-script", padding=False, container=False)
