"""`plan-assistant serve`: check the options, build the index once, then run N uvicorn worker
processes over it.

Every worker is a fresh process (uvicorn's supervisor spawns them and restarts one that dies), so
its threads are pinned before numpy loads and it shares nothing with its siblings but the
read-only index folder. With several workers the index is built here first, in a child process
that exits afterwards, so no worker builds it and this supervising process stays small, and a
worker takes connections only once it has loaded the index (its siblings answer meanwhile, also
while a restarted worker loads). A single worker loads (or builds) it in the background and
answers 503 meanwhile.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import sys

from ..config import Config
from .guard import TOKENS_FILE, is_loopback, read_tokens
from .threads import pin_threads

APP = "assistant.service.worker:app"
WORKERS = "PLAN_ASSISTANT_SERVICE_WORKERS"  # read by worker.py
MAX_WORKERS = 32


class ServeError(ValueError):
    """Options the service cannot start with; the message says why (exit code 2)."""


def check(host: str, port: int, workers: int, tokens_file: str | None) -> dict[str, str]:
    """The tokens (token -> name); ServeError for options that must not start a server."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ServeError(f"--workers 应在 1 到 {MAX_WORKERS} 之间，而不是 {workers}")
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
    pin_threads()  # inherited by every child process
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
    from uvicorn.supervisors import Multiprocess

    uv = uvicorn.Config(APP, host=host, port=port, workers=workers, log_config=log_config(), access_log=False,
                        timeout_worker_healthcheck=30, timeout_graceful_shutdown=10)
    try:
        sock = uv.bind_socket()
    except SystemExit as e:  # uvicorn has logged the reason (address in use…)
        raise ServeError(f"无法监听 {host}:{port}（端口已被占用或地址不可用）") from e
    sock.listen(uv.backlog)  # from now on connections wait for a worker instead of being refused
    print(f"计划助手服务：http://{host}:{sock.getsockname()[1]}/v1 （{workers} 个工作进程）", file=sys.stderr, flush=True)
    # uvicorn's own supervisor, for one worker too: each worker is a fresh, restartable process
    Multiprocess(uv, sockets=[sock]).run()
    return 0
