"""index / retrieve / ask / eval: the commands over the loaded Assistant."""

from __future__ import annotations

import json
import sys


def _assistant(args, **kw):
    from ..api import Assistant
    from ..config import Config

    config = Config.load(plan=args.plan, embedder=getattr(args, "embedder", None))
    return Assistant.load(config, progress=True, **kw)


def _dump(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _question(text: str) -> str:
    from ..cli import UserError

    if not text or not text.strip():
        raise UserError("问题为空：请输入要查询的问题")
    return text


def _top_k(k: int) -> int:
    from ..api import MAX_K
    from ..cli import UserError

    if not 1 <= k <= MAX_K:
        raise UserError(f"-k 应在 1 到 {MAX_K} 之间，而不是 {k}")
    return k


def cmd_index(args) -> int:
    a = _assistant(args, rebuild=args.rebuild)
    m = a.dense.manifest
    state = "已重建" if a.dense.built else "已是最新"
    print(f"索引{state}：{len(a.passages)} 段，向量模型 {m['embedder']}，维度 {m['dim']}，位置 {a.config.index_path}")
    return 0


def cmd_retrieve(args) -> int:
    question, k = _question(args.question), _top_k(args.k)  # bad input fails before the index loads
    a = _assistant(args)
    hits = a.retrieve(question, k=k)
    if args.json:
        _dump({"question": args.question, "hits": [h.to_json() for h in hits]})
    else:
        for h in hits:
            print(f"[{h.ref}] {h.title}  ({h.score:.3f})\n  {h.text[:120]}")
    return 0


def _history(path: str | None) -> list[dict] | None:
    from ..cli import UserError

    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            turns = json.load(f)
    except (OSError, ValueError) as e:
        raise UserError(f"无法读取对话历史文件 {path}：{e}") from e
    if not isinstance(turns, list) or not all(isinstance(t, dict) and "role" in t and "content" in t for t in turns):
        raise UserError("对话历史应为 JSON 列表：[{\"role\": \"user\", \"content\": \"...\"}, ...]")
    return turns


def cmd_ask(args) -> int:
    import time

    from ..records import Records, log_answer

    question, history = _question(args.question), _history(args.history)
    a = _assistant(args)
    started = time.perf_counter()
    answer = a.ask(question, history)
    log_answer(Records.open(a.config, enabled=not args.no_log), answer, latency_s=time.perf_counter() - started,
               history=history, source="cli", question=question)
    if args.json:
        _dump(answer.to_json())
        return 0
    mode = {"extractive": "原文摘录", "llm": "大模型生成"}[answer.mode]
    print(f"【{mode}】{answer.notice or ''}\n{answer.text}")
    for c in answer.citations:
        print(f"\n[{c.ref}] {c.title}\n  " + "\n  ".join(c.quotes or (c.text,)))
    return 0


def cmd_eval(args) -> int:
    from ..evaluate import DEFAULT_SET, run

    a = _assistant(args)
    if args.only:
        from ..evaluate import only_set

        print(only_set(a, args.set or DEFAULT_SET), end="")
        return 0
    print(run(a, args.set or DEFAULT_SET, write=not args.no_write), end="")
    print("（结果已写入 eval/results/latest.md）" if not args.no_write else "", file=sys.stderr)
    return 0


def register(sub) -> None:
    s = sub.add_parser("index", help="构建或检查向量索引")
    s.add_argument("--embedder", help="e5-bundled（默认）或 sentence-transformers:模型名/路径")
    s.add_argument("--rebuild", action="store_true", help="无论是否最新都重建")
    s.set_defaults(func=cmd_index, needs_doc=False)

    s = sub.add_parser("retrieve", help="混合检索：返回最相关的段落及引用")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--embedder")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_retrieve, needs_doc=False)

    s = sub.add_parser("ask", help="提问：带引用的回答")
    s.add_argument("question")
    s.add_argument("--history", help="此前对话的 JSON 文件")
    s.add_argument("--embedder")
    s.add_argument("--json", action="store_true")
    s.add_argument("--no-log", action="store_true", help="不写问答记录（同 PLAN_ASSISTANT_LOG=off）")
    s.set_defaults(func=cmd_ask, needs_doc=False)

    s = sub.add_parser("eval", help="在 eval/ 的问答集上评测检索与回答，打印指标表")
    s.add_argument("--set", help="问答集 JSONL（默认 eval/qa.jsonl）")
    s.add_argument("--embedder")
    s.add_argument("--no-write", action="store_true", help="不写 eval/results/latest.md")
    s.add_argument("--only", action="store_true", help="只评测 --set 指定的问答集（检索一行与按题型的回答表）")
    s.set_defaults(func=cmd_eval, needs_doc=False)
