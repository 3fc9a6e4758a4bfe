"""`plan-assistant serve` (HTTP: the OpenAI chat API and JSON routes) and `plan-assistant mcp`
(MCP over stdio): the assistant as a service for other tools.

    plan-assistant serve --port 8000                                  # one worker: right for 2 cores
    plan-assistant serve --host 0.0.0.0 --tokens-file tokens.txt      # tokens: one name:token a line
    plan-assistant mcp
"""

from __future__ import annotations


def _config(args):
    from ..config import Config

    return Config.load(plan=args.plan, embedder=args.embedder)


def cmd_serve(args) -> int:
    from ..service.threads import pin_threads

    pin_threads()  # before anything imports numpy or faiss: the workers are forks of this process
    from ..cli import UserError
    from ..service.guard import TokenFileError
    from ..service.run import ServeError, serve

    try:
        return serve(args.host, args.port, args.workers, args.tokens_file, _config(args))
    except (ServeError, TokenFileError) as e:
        raise UserError(str(e)) from e


def cmd_mcp(args) -> int:
    try:
        from ..service.mcp_server import run
    except ImportError as e:
        if (e.name or "").split(".")[0] != "mcp":
            raise
        from ..cli import UserError

        raise UserError("MCP 服务需要 mcp 包：pip install 'plan-assistant[mcp]'") from e
    return run(_config(args))


def register(sub) -> None:
    s = sub.add_parser("serve", help="HTTP 服务：OpenAI 兼容的对话接口（/v1/chat/completions）与 JSON 接口")
    s.add_argument("--host", default="127.0.0.1", help="监听地址（默认仅本机；其他地址须配 --tokens-file）")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1, help="工作进程数（默认 1：2 核的机器 1 个最快；核更多时再加，见 README）")
    s.add_argument("--tokens-file", help="访问令牌文件，每行“名称:令牌”")
    s.add_argument("--embedder")
    s.set_defaults(func=cmd_serve, needs_doc=False)

    s = sub.add_parser("mcp", help="MCP 服务（stdio）：供智能体工具调用检索、原文、问答、测验")
    s.add_argument("--embedder")
    s.set_defaults(func=cmd_mcp, needs_doc=False)
