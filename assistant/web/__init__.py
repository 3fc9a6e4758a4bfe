"""The web app (Gradio), one module per tab: `chat` (问答), `source` (原文), `targets` (指标), `tasks`
(任务), `quiz` (测验), `results` (学员成绩), `library` (文库), `admin` (管理). Each holds its formatters (pure functions,
tested without a server), its callbacks (thin: call one core function, format the result) and
`build_tab()`; the chat's saved conversations are in `history`, its 👍/👎 in `feedback`; the quiz's
formatters in `quiz_format`, its assigned papers (布置试卷, a trainee's submission, 我的测验成绩) in
`papers`; the 指标 tab's comparison across documents in `compare`. `shelf` is what the tabs know of the
library (its documents, the choosers' choices, the chat's default scope, a document's tree). `state` holds what the tabs share (the parsed plan, the lazily loaded Assistant, the
download folder, who is an admin or a trainer), `html` the escaping and tables every tab uses, `style`
the theme, CSS and the page script (page.js), `login` the login check with its wait message, the
退出登录 link and the script every page gets first (head.js). `app.py` assembles the tabs and
launches. Nothing here imports the command line."""
