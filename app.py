"""The web app (Gradio): cited answers in a chat, the plan's text by outline and search, its
quantitative targets as a table, the task ledger with the department that owns each task, and a
quiz for trainers.

    python app.py                          # http://127.0.0.1:7860, no login
    python app.py --host 0.0.0.0 --port 8080 --auth-file users.txt
    PLAN_ASSISTANT_AUTH="user:pass,user2:pass2" python app.py

`demo` is built at import time and launched only under __main__, so tests import it without a
server. Each tab is one module of `assistant.web` with its own `build_tab()`; this file only
assembles them and launches. The Assistant (index and models) loads lazily, once, shared by all
sessions (`assistant.web.state`); the outline, targets, task ledger and quiz need only the parsed
plan, which is cheap.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: it reads this on import

import argparse  # noqa: E402
import hmac  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402

from assistant.web import chat, quiz, source, targets, tasks  # noqa: E402
from assistant.web.html import esc  # noqa: E402
from assistant.web.state import DOC, assistant_ready, get_assistant, warm_up  # noqa: E402, F401
from assistant.web.style import CSS, THEME, page_script  # noqa: E402

log = logging.getLogger("plan_assistant.app")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def build_demo() -> gr.Blocks:
    header = DOC.header.get("number", "")
    with gr.Blocks(title="计划助手", analytics_enabled=False) as demo:
        gr.Markdown(f"## 计划助手 · {esc(DOC.title)}\n"
                    f"<span class='muted'>{esc(header)}　答案摘自计划原文并注明出处；离线运行。</span>")
        with gr.Tabs():
            for tab in (chat, source, targets, tasks, quiz):
                tab.build_tab()
        page_script()
    # From scripts/load_test.py on 2 cores: limits 1–8 give about the same throughput (the embedder
    # serves one question at a time); a queue of 64 turned away a burst of 100 users, 256 did not.
    demo.queue(default_concurrency_limit=4, max_size=256)
    return demo


demo = build_demo()


# ---- launching ----------------------------------------------------------------------------------

def parse_users(text: str) -> dict[str, str]:
    """"user:pass" entries, one per line or comma-separated; blank lines and # comments skipped.
    The password may contain ':' (only the first one splits)."""
    users = {}
    for entry in text.replace(",", "\n").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError(f"登录账号格式应为 用户名:密码，而不是“{entry[:20]}”")
        users[user.strip()] = password
    return users


def auth_checker(users: dict[str, str]):
    def check(username: str, password: str) -> bool:
        expected = users.get(username or "")
        # compare even for an unknown user, so timing does not tell which users exist
        ok = hmac.compare_digest((expected or "\0").encode(), (password or "").encode())
        return expected is not None and ok

    return check


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="计划助手网页版（Gradio）")
    p.add_argument("--host", default=os.environ.get("PLAN_ASSISTANT_HOST", DEFAULT_HOST),
                   help="监听地址（默认 127.0.0.1，仅本机；环境变量 PLAN_ASSISTANT_HOST）")
    p.add_argument("--port", type=int, default=int(os.environ.get("PLAN_ASSISTANT_PORT", DEFAULT_PORT)),
                   help="端口（默认 7860；环境变量 PLAN_ASSISTANT_PORT）")
    p.add_argument("--auth-file", help="登录账号文件，每行 用户名:密码（或环境变量 PLAN_ASSISTANT_AUTH=\"u:p,u2:p2\"）")
    p.add_argument("--share", action="store_true", help="生成 Gradio 公网分享链接（需联网；默认不生成）")
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # gradio's own startup probes
    args = build_parser().parse_args(argv)
    try:
        users = parse_users(os.environ.get("PLAN_ASSISTANT_AUTH", ""))
        if args.auth_file:
            users.update(parse_users(Path(args.auth_file).read_text(encoding="utf-8")))
    except (OSError, ValueError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    threading.Thread(target=warm_up, name="load-assistant", daemon=True).start()
    demo.launch(
        server_name=args.host, server_port=args.port, share=args.share,
        auth=auth_checker(users) if users else None, auth_message="请输入分配给您的账号和密码",
        theme=THEME, css=CSS, footer_links=["api", "settings"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
