"""The `plan-assistant` command: thin wrappers that parse arguments, call one core function and
print the result (text for people, --json for scripts). Exit codes: 0 ok, 1 failure, 2 bad input."""

from __future__ import annotations

import argparse
import json
import signal
import sys

from .documents.parse import Document, Node, load
from .documents.refs import UnknownRef
from .errors import ConfigError, DocumentError, EmbedderUnavailable, IndexWriteError


class UserError(Exception):
    """Bad input from the person at the terminal: printed as one line, exit code 2."""


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def outline_json(node: Node) -> dict:
    return {"ref": node.ref, "title": node.title, "children": [outline_json(c) for c in node.children]}


def cmd_outline(args, doc: Document) -> int:
    if args.json:
        _print_json([outline_json(n) for n in doc.nodes])
        return 0
    print(doc.title)
    for node in doc.walk():
        depth = {"section": 1, "column": 1, "row": 2}.get(node.kind, 0)
        print(f"{'  ' * depth}[{node.ref}] {node.title}")
    return 0


def cmd_show(args, doc: Document) -> int:
    try:
        node = doc.get(args.ref)
    except UnknownRef as e:  # a ref of another document of the library: 2025内蒙古政府工作报告·二(三)
        node = library_node(doc, args.ref, e)
    if args.json:
        _print_json({"ref": node.ref, "title": node.title, "text": node.full_text()})
    else:
        print(f"[{node.ref}] {node.title}\n{node.full_text()}")
    return 0


def library_node(doc: Document, ref: str, missing: UnknownRef) -> Node:
    from .config import Config
    from .documents.intake import find_node, primary_entry
    from .documents.library import Library

    library = Library.open(Config.load().library_path, primary_entry(doc))
    if not library.others:
        raise missing
    try:
        return find_node(library, ref)[1]
    except UnknownRef as e:
        raise (missing if not e.suggestions else e) from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="plan-assistant", description="计划助手：对发展计划原文的引用式问答")
    p.add_argument("--plan", help="计划文本文件（默认：随包附带的2026年内蒙古自治区计划）")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("outline", help="打印计划的目录树及引用")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_outline)

    s = sub.add_parser("show", help="打印某个引用（如 四(三)、专栏2）的原文")
    s.add_argument("ref")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)

    from .commands import register_all

    register_all(sub)
    return p


def read_plan(path: str | None) -> Document:
    """The plan to work on (.txt .md .docx .pdf); a --plan file that is a folder, unreadable, damaged or
    in another format is bad input."""
    try:
        return load(path)
    except (IsADirectoryError, PermissionError) as e:
        raise UserError(f"无法读取计划文件 {path}：{e.strerror}") from e
    except DocumentError as e:
        raise UserError(f"无法读取计划文件 {path}：{e}") from e


def script() -> int:
    """The `plan-assistant` command. Its own process, so `plan-assistant outline | head` may end quietly
    by SIGPIPE; `main` leaves the signal alone, as a caller in the same process (a server) needs it ignored."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    return main()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "needs_doc", True):
            return args.func(args, read_plan(args.plan))
        if args.plan:  # checked here too, so a bad file is one line before the index loads
            read_plan(args.plan)
        return args.func(args)
    except (UnknownRef, UserError, ConfigError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except (EmbedderUnavailable, IndexWriteError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except FileNotFoundError as e:
        print(f"错误：找不到文件 {e.filename}", file=sys.stderr)
        return 2
