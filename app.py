"""The web app (Gradio): cited answers in a chat, the plan's text by outline and search, its
quantitative targets as a table, the task ledger with the department that owns each task, and a
quiz, with papers a trainer assigns and their results per trainee.

    python app.py                          # http://127.0.0.1:7860, no login
    plan-assistant users add alice --admin # accounts: salted scrypt hashes, a role each
    python app.py --host 0.0.0.0 --port 8080 --auth-file users.txt

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
import ipaddress  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402

from assistant.accounts import AccountsError, LoginGuard, RememberClientAddress, load_accounts  # noqa: E402
from assistant.web import admin, chat, library, login, quiz, results, source, state, targets, tasks  # noqa: E402
from assistant.web.html import esc  # noqa: E402
from assistant.web.state import CONFIG, DOC, assistant_ready, get_assistant, warm_up  # noqa: E402, F401
from assistant.web.style import CSS, GRADIO_ZH, THEME, page_script  # noqa: E402

log = logging.getLogger("plan_assistant.app")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def build_demo() -> gr.Blocks:
    header = DOC.header.get("number", "")
    with gr.Blocks(title="计划助手", analytics_enabled=False) as demo:
        with gr.Row(elem_id="page-head"):
            gr.Markdown(f"## 计划助手 · {esc(DOC.title)}\n"
                        f"<span class='muted'>{esc(header)}　答案摘自计划原文并注明出处；离线运行。</span>",
                        elem_id="page-title")
            account = gr.HTML("", elem_id="account", padding=False, container=False)
        with gr.Tabs():
            on_load = chat.build_tab()
            for tab in (source, targets):
                tab.build_tab()
            import_box = tasks.build_tab()
            assign_box, history_box = quiz.build_tab()
            results_tab = results.build_tab()
            _, library_box = library.build_tab()
            admin_tab = admin.build_tab()
        page_script()
        on_load(demo)
        # 管理, the 分工方案 import and the 文库's add/remove are shown to admins only; their callbacks
        # check the user again (state.require_admin)
        demo.load(admin_parts, None, [admin_tab, import_box, library_box], queue=False, api_visibility="private")
        # 布置试卷 and 学员成绩 for trainers and admins (checked again by state.require_trainer), 我的测验成绩
        # for anyone logged in
        demo.load(trainer_parts, None, [assign_box, results_tab, history_box], queue=False, api_visibility="private")
        demo.load(login.show_account, None, account, queue=False, api_visibility="private")
    # From scripts/load_test.py on 2 cores: limits 1–8 give about the same throughput (the embedder
    # serves one question at a time); a queue of 64 turned away a burst of 100 users, 256 did not.
    demo.queue(default_concurrency_limit=4, max_size=256)
    return demo


def admin_parts(request: gr.Request = None):
    shown = admin.tab_visibility(request)
    return shown, shown, shown


def trainer_parts(request: gr.Request = None):
    trainer = gr.update(visible=state.is_trainer(request))
    return trainer, trainer, gr.update(visible=state.login_name(request) is not None)


demo = build_demo()


# ---- launching ----------------------------------------------------------------------------------

class LaunchError(Exception):
    """The app must not start as asked; the message (Chinese) says what to do instead."""


def is_loopback(host: str) -> bool:
    """Only this machine can reach `host`: 127.0.0.0/8, ::1 or localhost."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_file_of(args) -> Path | None:
    """--auth-file, else the configured auth_file, else the default accounts file when it exists."""
    if args.auth_file:
        return Path(args.auth_file)
    if CONFIG.auth_file:
        return CONFIG.auth_path
    return CONFIG.auth_path if CONFIG.auth_path.exists() else None


def login_guard(args) -> LoginGuard | None:
    """The login check of the accounts file, or None for no login. Refuses (LaunchError) plain-text
    accounts, and an address other machines can reach (or --share) without accounts unless
    --insecure-no-auth says so."""
    if os.environ.get("PLAN_ASSISTANT_AUTH"):
        raise LaunchError("环境变量 PLAN_ASSISTANT_AUTH 中的明文账号已不再支持。请用 plan-assistant users add 用户名 "
                          "创建账号文件，再以 --auth-file 或 PLAN_ASSISTANT_AUTH_FILE 指定。")
    path = auth_file_of(args)
    try:
        accounts = load_accounts(path) if path else {}
    except AccountsError as e:
        raise LaunchError(str(e)) from None
    exposed = args.share or not is_loopback(args.host)
    if not accounts and exposed and not args.insecure_no_auth:
        where = "公网分享链接" if args.share else f"地址 {args.host}"
        raise LaunchError(f"没有登录账号时不能在{where}上运行（其他机器上的任何人都能使用）。请先用 "
                          "plan-assistant users add 用户名 --admin 创建账号；确需无登录运行请加 --insecure-no-auth。")
    if path and not accounts:
        log.warning("the accounts file has no users: no login")
    # failed logins kept with the records: replicas sharing them slow a guesser down together
    return LoginGuard(accounts, state.RECORDS) if accounts else None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="计划助手网页版（Gradio）")
    p.add_argument("--host", default=os.environ.get("PLAN_ASSISTANT_HOST", DEFAULT_HOST),
                   help="监听地址（默认 127.0.0.1，仅本机；环境变量 PLAN_ASSISTANT_HOST）")
    p.add_argument("--port", type=int, default=int(os.environ.get("PLAN_ASSISTANT_PORT", DEFAULT_PORT)),
                   help="端口（默认 7860；环境变量 PLAN_ASSISTANT_PORT）")
    p.add_argument("--auth-file", help="登录账号文件（由 plan-assistant users add 创建；或配置项 auth_file）")
    p.add_argument("--insecure-no-auth", action="store_true",
                   help="允许在非本机地址上无登录运行（不建议）")
    p.add_argument("--no-log", action="store_true", help="不写问答记录（同 PLAN_ASSISTANT_LOG=off）")
    p.add_argument("--share", action="store_true", help="生成 Gradio 公网分享链接（需联网；默认不生成）")
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # gradio's own startup probes
    args = build_parser().parse_args(argv)
    if args.no_log:
        state.disable_log()
    try:
        guard = login_guard(args)
    except LaunchError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    state.set_accounts(guard.accounts if guard else None)
    log.info("login: %s; records: %s", "on" if guard else "off", state.RECORDS.where())
    threading.Thread(target=warm_up, name="load-assistant", daemon=True).start()
    from starlette.middleware import Middleware

    demo.launch(
        server_name=args.host, server_port=args.port, share=args.share,
        auth=login.throttled(guard) if guard else None, auth_message="请输入分配给您的账号和密码",
        app_kwargs={"middleware": [Middleware(RememberClientAddress), Middleware(login.PageHead)]},
        theme=THEME, css=CSS, i18n=GRADIO_ZH, footer_links=["api", "settings"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
