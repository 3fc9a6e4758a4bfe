"""`plan-assistant serve`: check the options, bind the port, build the index once, load it once,
then run N uvicorn worker processes over it (supervise.py).

Threads are pinned before numpy loads. With several workers the index is built here first, in a
child process that exits afterwards (the build's memory is not kept), then this process imports the
app and loads the index read-only, and the workers are forks of it: each starts with the index in
memory (shared, not copied), a replacement for a dead one too. When the index is not ready (one
worker on a first run, or another process building it), each worker loads or builds it in the
background and answers 503 meanwhile; with siblings a worker takes connections only once loaded.
"""

from __future__ import annotations

import copy
import errno
import gc
import multiprocessing
import os
import socket
import sys

from ..config import Config
from .guard import TOKENS_FILE, is_loopback, read_tokens
from .threads import pin_threads

APP = "assistant.service.worker:app"
WORKERS = "PLAN_ASSISTANT_SERVICE_WORKERS"  # read by worker.py
MAX_WORKERS = 32
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()  # not on Windows


class ServeError(ValueError):
    """Options the service cannot start with; the message says why (exit code 2)."""


def check(host: str, port: int, workers: int, tokens_file: str | None) -> dict[str, str]:
    """The tokens (token -> name); ServeError for options that must not start a server."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ServeError(f"--workers 应在 1 到 {MAX_WORKERS} 之间，而不是 {workers}")
    if workers > 1 and not CAN_FORK:
        raise ServeError("多个工作进程需要 Linux 或 macOS（工作进程由主进程 fork 而来）；此系统请用 --workers 1")
    if not 0 <= port <= 65535:
        raise ServeError(f"--port 应在 0 到 65535 之间，而不是 {port}")
    tokens = read_tokens(tokens_file) if tokens_file else {}
    if not is_loopback(host) and not tokens:
        raise ServeError(f"拒绝在非本机地址 {host} 上无令牌地提供服务：请用 --tokens-file 指定访问令牌"
                         "（每行“名称:令牌”）")
    return tokens


def _build_index(config: Config) -> None:  # runs in a child process
    from ..api import Assistant

    try:
        a = Assistant.load(config, progress=True)
    except Exception as e:  # our own errors carry a message for the operator
        print(f"错误：{e}", file=sys.stderr)
        sys.exit(1)
    state = "已构建" if a.dense.built else "已是最新"
    print(f"索引{state}：{len(a.passages)} 段，向量模型 {a.dense.manifest['embedder']}，位置 {config.index_path}",
          file=sys.stderr, flush=True)


def build_index_once(config: Config) -> bool:
    """Build (or check) the index in a child process; True when it is ready to load."""
    child = multiprocessing.get_context("spawn").Process(target=_build_index, args=(config,), name="build-index")
    child.start()
    child.join()
    return child.exitcode == 0


def bind(host: str, port: int) -> socket.socket:
    """The listening socket's address taken (not yet listening); ServeError saying why it cannot be.
    An IPv6 address may come in brackets, as in a URL: [::1]."""
    host = host.strip("[]")
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        if isinstance(e, socket.gaierror):
            raise ServeError(f"无法解析监听地址 {host}") from e
        if e.errno == errno.EADDRINUSE:
            raise ServeError(f"端口 {port} 已被占用：请换一个 --port，或先停止占用它的程序") from e
        if e.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            raise ServeError(f"本机没有地址 {host}（IPv6 未启用，或地址不属于本机）") from e
        if e.errno == errno.EACCES:
            raise ServeError(f"无权监听端口 {port}（1024 以下的端口需要管理员权限）") from e
        raise ServeError(f"无法监听 {host}:{port}：{e.strerror or e}") from e
    return sock


def url_host(host: str) -> str:
    """How the address is written in a URL: an IPv6 address in brackets."""
    host = host.strip("[]")
    return f"[{host}]" if ":" in host else host


def log_config() -> dict:
    """uvicorn's logging, plus our loggers; our access line (guard.py) replaces uvicorn's."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for name in ("plan_assistant", "assistant"):
        config["loggers"][name] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(host: str, port: int, workers: int, tokens_file: str | None, config: Config) -> int:
    """Run until interrupted. The workers read their settings from the environment set here."""
    check(host, port, workers, tokens_file)
    sock = bind(host, port)  # a port in use is said before anything is built or loaded
    pin_threads()  # the workers are forks of this process: pinned before numpy and faiss load (cmd_serve)
    for name, value in (("PLAN_ASSISTANT_PLAN", config.plan), ("PLAN_ASSISTANT_EMBEDDER", config.embedder),
                        ("PLAN_ASSISTANT_INDEX_DIR", str(config.index_path))):
        if value:
            os.environ[name] = os.path.abspath(value) if name != "PLAN_ASSISTANT_EMBEDDER" else value
    os.environ[WORKERS] = str(workers)
    if tokens_file:
        os.environ[TOKENS_FILE] = os.path.abspath(tokens_file)
    else:
        os.environ.pop(TOKENS_FILE, None)
    if workers > 1 and not build_index_once(config):
        return 1

    import uvicorn

    uv = uvicorn.Config(APP, host=host.strip("[]"), port=port, log_config=log_config(), access_log=False,
                        timeout_graceful_shutdown=10)
    uv.load()  # the app imported here, once: every worker is a fork that starts with it
    from .worker import core

    core.preload()
    gc.freeze()  # what is loaded now stays shared with the workers (no collector writes to its pages)
    sock.listen(uv.backlog)  # from now on connections wait for a worker instead of being refused
    print(f"计划助手服务：http://{url_host(host)}:{sock.getsockname()[1]}/v1 （{workers} 个工作进程）",
          file=sys.stderr, flush=True)
    if not CAN_FORK:  # one server in this process, with nobody to restart it
        uvicorn.Server(uv).run(sockets=[sock])
        return 0
    from .supervise import Supervisor

    return Supervisor(uv, [sock], workers).run()
