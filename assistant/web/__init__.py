"""The web app (Gradio), one module per tab: `chat` (问答), `source` (原文), `targets` (指标), `tasks`
(任务), `quiz` (测验). Each holds its formatters (pure functions, tested without a server), its
callbacks (thin: call one core function, format the result) and `build_tab()`. `state` holds what
the tabs share (the parsed plan, the lazily loaded Assistant, the download folder), `html` the
escaping every tab uses, `style` the theme, CSS and the page script. `app.py` assembles the tabs
and launches. Nothing here imports the command line."""
