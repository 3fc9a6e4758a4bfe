"""index / retrieve / ask / eval: the commands over the loaded Assistant."""

from __future__ import annotations

import json
import sys

from ..errors import LibraryError


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
    try:
        answer = a.ask(question, history, docs=args.doc)
    except LibraryError as e:
        from ..cli import UserError

        raise UserError(str(e)) from e
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

    if args.generated or args.dump:
        return _eval_generated(args)
    a = _assistant(args)
    if args.only:
        from ..evaluate import only_set

        print(only_set(a, args.set or DEFAULT_SET), end="")
        return 0
    print(run(a, args.set or DEFAULT_SET, write=not args.no_write), end="")
    print("（结果已写入 eval/results/latest.md）" if not args.no_write else "", file=sys.stderr)
    return 0


def _eval_generated(args) -> int:
    """The generated self-test: --dump writes its items (no index needed), otherwise they are asked."""
    from ..cli import UserError, read_plan
    from ..evaluate import RESULTS
    from ..selftest import KINDS, SEED, generate
    from ..selftest import report as selftest

    kinds = [k.strip() for k in (args.kind or "").split(",") if k.strip()] or list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise UserError(f"没有这种自测题型：{'、'.join(unknown)}（可选：{', '.join(KINDS)}）")
    doc = read_plan(args.plan)
    items = [it for it in generate(doc, args.seed if args.seed is not None else SEED) if it["kind"] in kinds]
    if args.dump:
        selftest.dump(items, args.dump)
        print(f"已写出 {len(items)} 道自测题：{args.dump}", file=sys.stderr)
        return 0
    a = _assistant(args)
    result = selftest.run(a, items, progress=True)
    text = selftest.markdown(result, f"Generated self-test — {doc.title}, embedder {a.embedder.id}")
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "generated.md").write_text(text, encoding="utf-8")
    if args.json:
        _dump(selftest.verdicts_json(result))
    else:
        print(text, end="")
    print("（结果已写入 eval/results/generated.md）" if not args.no_write else "", file=sys.stderr)
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
    s.add_argument("--doc", action="append", help="只在文库中这份文件里回答（编号或名称，可重复；默认按问题所指）")
    s.add_argument("--embedder")
    s.add_argument("--json", action="store_true")
    s.add_argument("--no-log", action="store_true", help="不写问答记录（同 PLAN_ASSISTANT_LOG=off）")
    s.set_defaults(func=cmd_ask, needs_doc=False)

    s = sub.add_parser("eval", help="在 eval/ 的问答集上评测检索与回答，打印指标表")
    s.add_argument("--set", help="问答集 JSONL（默认 eval/qa.jsonl）")
    s.add_argument("--embedder")
    s.add_argument("--no-write", action="store_true", help="不写 eval/results/latest.md")
    s.add_argument("--only", action="store_true", help="只评测 --set 指定的问答集（检索一行与按题型的回答表）")
    s.add_argument("--generated", action="store_true",
                   help="从计划自动生成自测题（目标、结构、列举等）并评测，写 eval/results/generated.md")
    s.add_argument("--seed", type=int, help="自测题的随机种子（默认固定，结果可复现）")
    s.add_argument("--json", action="store_true", help="与 --generated 同用：输出每道题及其判定（JSON）")
    s.add_argument("--dump", metavar="FILE", help="只把自测题写成 JSON Lines（eval 格式），不评测")
    s.add_argument("--kind", help="只用这些自测题型，逗号分隔（如 exists,absent）")
    s.set_defaults(func=cmd_eval, needs_doc=False)
