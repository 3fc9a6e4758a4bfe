"""The look of the app: the Gradio theme and the page's CSS (passed to `launch()`)."""

import gradio as gr

THEME = gr.themes.Default(
    primary_hue="red", neutral_hue="slate",
    font=[gr.themes.LocalFont("Source Sans Pro"), "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
          "PingFang SC", "ui-sans-serif", "system-ui", "sans-serif"],
)
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
"""
