"""The login, and what every page of the app gets before Gradio's own scripts run.

Gradio's login page runs none of our code and shows only "凭据不正确" on a refused login, and its
interface language follows the browser's. So:

- `throttled(guard)` is the login check Gradio calls: while a name is slowed down after failed logins
  (`LoginGuard.wait_left`) it answers HTTP 429 with the wait, "登录尝试过多，请在 8 秒后重试", instead of
  a plain refusal;
- `PageHead` (ASGI middleware) puts `head.js` at the top of every Gradio page (the login page
  and the app): it makes Gradio's own texts Chinese whatever the browser's language, and shows that
  429 message on the login page;
- `account_html` is the signed-in name and the 退出登录 link above the tabs (Gradio's /logout).
"""

from __future__ import annotations

import math
from importlib import resources

import gradio as gr

from .html import esc

LOGIN_PATHS = ("/login", "/login/")


def wait_message(seconds: float) -> str:
    """
    >>> wait_message(7.2)
    '登录尝试过多，请在 8 秒后重试'
    """
    return f"登录尝试过多，请在 {max(1, math.ceil(seconds))} 秒后重试"


def throttled(guard):
    """Gradio's auth= callable over `guard`: a name+address that must still wait gets HTTP 429 with
    the wait (Gradio turns any other refusal into its 400 "凭据不正确")."""
    from fastapi import HTTPException

    from ..accounts import CLIENT_ADDRESS

    def check(user: str | None, password: str | None) -> bool:
        left = guard.wait_left((user or "").strip(), CLIENT_ADDRESS.get())
        if left > 0 and not guard.check(user, password):  # refused unheard (and logged so)
            raise HTTPException(status_code=429, detail=wait_message(left),
                                headers={"Retry-After": str(math.ceil(left))})
        return guard.check(user, password)

    return check


def account_html(user: str | None) -> str:
    """The signed-in name and a link to Gradio's /logout (relative: it works under a proxy's path
    prefix too); nothing without a login. all_session=false ends this browser's session only."""
    if not user:
        return ""
    return (f'<div class="account"><span class="muted">当前用户：<span class="account-name">{esc(user)}</span></span>'
            '<a class="logout" href="logout?all_session=false">退出登录</a></div>')


def show_account(request: gr.Request = None):
    return account_html(getattr(request, "username", None))


def head_script() -> bytes:
    js = resources.files("assistant.web").joinpath("head.js").read_text(encoding="utf-8")
    return f"<script>{js}</script>".encode()


class PageHead:
    """ASGI middleware: `head.js` into every HTML page Gradio serves (they all hold `gradio_config`),
    first in its <head>, so it runs before Gradio reads the browser's language."""

    marker = b"window.gradio_config"

    def __init__(self, app):
        self.app = app
        self.script = head_script()

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start, chunks = None, []

        async def wrapped(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if html and b"content-encoding" not in headers:
                    start = message  # held until the whole body is in
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                if self.marker in body:
                    body = body.replace(b"<head>", b"<head>" + self.script, 1)
                headers = [(k, v) for k, v in start.get("headers") or [] if k != b"content-length"]
                await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, wrapped)
