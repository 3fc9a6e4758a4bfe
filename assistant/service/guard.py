"""What every request passes before a route sees it: the bearer token (when a tokens file is
given), the body size limit, and one access-log line naming the token's owner.

Without tokens the service listens on a loopback address only, and that alone does not keep web
pages out: a page open in a browser on this machine may post to 127.0.0.1 (a text/plain POST needs
no preflight), or reach it under its own name through DNS rebinding. So without tokens a request is
served only when its `Host` names this machine (127.0.0.1, localhost, [::1], with any port) and it
carries no `Origin` of another site; API clients (openai, curl, LangChain) send no Origin.

    >>> loopback_host("127.0.0.1:8000"), loopback_host("[::1]:8000"), loopback_host("evil.example:8000")
    (True, True, False)

A tokens file has one `name:token` per line (blank lines and `#` comments skipped); the name is
only for the log:

    >>> parse_tokens("# 办公厅 OA\\noa:s3cr3t-1\\n\\ndify: s3cr3t-2\\n")
    {'s3cr3t-1': 'oa', 's3cr3t-2': 'dify'}
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import time
from urllib.parse import urlsplit

from .openai_format import error_body

log = logging.getLogger("plan_assistant.service")

MAX_BODY_BYTES = 1_000_000  # a chat request with a long history is a few tens of kB
OPEN_PATHS = ("/healthz",)  # a load balancer's health check carries no token
WORKER_HEADER = "x-plan-assistant-worker"  # which worker process answered (pid)
TOKENS_FILE = "PLAN_ASSISTANT_TOKENS_FILE"  # how the workers learn the tokens file


class TokenFileError(ValueError):
    """The tokens file cannot be used; the message says which line."""


def parse_tokens(text: str) -> dict[str, str]:
    tokens: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, token = line.partition(":")
        name, token = name.strip(), token.strip()
        if not sep or not name or not token:
            raise TokenFileError(f"令牌文件第{number}行应为“名称:令牌”")
        if not token.isascii() or not token.isprintable() or " " in token:
            raise TokenFileError(f"令牌文件第{number}行：令牌只能由字母、数字和符号组成（HTTP 头不能带中文或空格）")
        if token in tokens:
            raise TokenFileError(f"令牌文件第{number}行的令牌与“{tokens[token]}”的重复")
        tokens[token] = name
    return tokens


def read_tokens(path: str) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as f:
            tokens = parse_tokens(f.read())
    except (OSError, UnicodeDecodeError) as e:
        raise TokenFileError(f"无法读取令牌文件 {path}：{getattr(e, 'strerror', None) or '不是 UTF-8 文本'}") from e
    if not tokens:
        raise TokenFileError(f"令牌文件 {path} 中没有令牌")
    return tokens


def is_loopback(host: str) -> bool:
    """127.0.0.1, ::1, localhost: reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_host(value: str) -> bool:
    """A Host header that names this machine: a loopback address or localhost, with or without a port."""
    value = value.strip()
    if value.startswith("["):  # [::1]:8000
        host = value[1:value.find("]")] if "]" in value else ""
    else:
        host = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    return bool(host) and is_loopback(host)


def local_origin(value: str) -> bool:
    """An Origin header of a page served from this machine (any port); "null" (a sandboxed frame, a
    file) is not one."""
    try:
        host = urlsplit(value.strip()).hostname
    except ValueError:
        return False
    return bool(host) and is_loopback(host)


def refusal(headers: dict[str, str]) -> str | None:
    """Why a request without a token is refused (a foreign Host or Origin); None to serve it."""
    host, origin = headers.get("host"), headers.get("origin")
    if host is not None and not loopback_host(host):
        return (f"拒绝主机名“{host[:60]}”：未配置访问令牌时，服务只接受以本机地址（127.0.0.1、localhost、[::1]）"
                "访问的请求")
    if origin is not None and not local_origin(origin):
        return f"拒绝来自网页“{origin[:60]}”的跨站请求：未配置访问令牌时，服务不接受其他网站的页面发来的请求"
    return None


def token_owner(tokens: dict[str, str], header: str | None) -> str | None:
    """The name of the token in an `Authorization: Bearer …` header; None when it is missing or
    unknown. Every known token is compared in constant time."""
    scheme, _, presented = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None
    found = None
    for token, name in tokens.items():
        if hmac.compare_digest(token.encode(), presented.strip().encode()):
            found = name
    return found


class Guard:
    """ASGI middleware in front of the app."""

    def __init__(self, app, tokens: dict[str, str] | None = None, max_body: int = MAX_BODY_BYTES,
                 close_connections: bool = False):
        self.app, self.tokens, self.max_body = app, tokens or {}, max_body
        # Workers share one listening socket and a connection stays with the worker that accepted it:
        # kept-alive connections would pin each client to one worker however busy it is. Closing after
        # each response lets the next request go to whichever worker accepts first (the least busy).
        self.close_connections = close_connections

    def extra_headers(self) -> list[tuple[bytes, bytes]]:
        # the pid asked per response: the app is built in the supervisor, before the workers fork
        headers = [(WORKER_HEADER.encode(), str(os.getpid()).encode())]
        return headers + [(b"connection", b"close")] if self.close_connections else headers

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, path = time.perf_counter(), scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        status = {"code": 0}

        async def send_noted(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = dict(message, headers=[*message.get("headers", []), *self.extra_headers()])
            await send(message)

        name = "-"
        try:
            if not self.tokens and (why := refusal(headers)):
                return await self._error(send_noted, 403, why, "cross_site_request")
            if self.tokens and path not in OPEN_PATHS:
                name = token_owner(self.tokens, headers.get("authorization")) or "?"
                if name == "?":
                    return await self._error(send_noted, 401, "缺少或无效的访问令牌（Authorization: Bearer …）",
                                             "invalid_api_key")
            length = headers.get("content-length")
            body = None if length and length.isdigit() and int(length) > self.max_body else await self._read_body(receive)
            if body is None:
                return await self._error(send_noted, 413, f"请求体过大（上限 {self.max_body} 字节）", "request_too_large")
            # the token's name, for the conversation log (request.state.token_name); None without tokens
            scope.setdefault("state", {})["token_name"] = None if name == "-" else name
            await self.app(scope, self._replay(body, receive), send_noted)
        finally:
            log.info("%s %s %s %s %.3fs", name, scope.get("method"), path, status["code"],
                     time.perf_counter() - started)

    async def _read_body(self, receive) -> bytes | None:
        """The whole body (a chunked one too), or None as soon as it passes the limit."""
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.max_body:
                return None
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    @staticmethod
    def _replay(body: bytes, receive):
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would

        return replay

    @staticmethod
    async def _error(send, status: int, message: str, code: str) -> None:
        body = json.dumps(error_body(status, message, code), ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if status == 401:
            headers.append((b"www-authenticate", b"Bearer"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
