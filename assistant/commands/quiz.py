"""`plan-assistant quiz --n 10 [--chapter 四] [--kind fill|choice|truefalse|where] [--seed 7]
[--difficulty 1|2|3] [--format json|md|csv] [--answers]`: a quiz generated from the plan.

JSON always carries the answers; Markdown and CSV carry them only with --answers (print the quiz
without, the answer key with)."""

from __future__ import annotations

import json

from ..documents.parse import Document
from ..quiz import MAX_QUESTIONS, QuizError, generate_quiz

FORMATS = ("md", "json", "csv")


def cmd_quiz(args, doc: Document) -> int:
    from ..cli import UserError

    fmt = "json" if args.json else args.format
    if fmt not in FORMATS:
        raise UserError(f"未知格式“{fmt}”（可选：{'|'.join(FORMATS)}）")
    if args.difficulty is not None and args.difficulty not in ("1", "2", "3"):
        raise UserError(f"难度须为 1、2 或 3，收到：{args.difficulty}")
    kinds = [k.strip() for k in args.kind.split(",") if k.strip()] if args.kind else None
    try:
        quiz = generate_quiz(
            doc,
            n=args.n,
            chapter=args.chapter,
            kinds=kinds,
            seed=args.seed,
            difficulty=int(args.difficulty) if args.difficulty else None,
        )
    except QuizError as e:
        raise UserError(str(e)) from e
    if fmt == "json":
        print(json.dumps(quiz.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        print(quiz.to_csv(with_answers=args.answers), end="")
    else:
        print(quiz.to_markdown(with_answers=args.answers), end="")
    return 0


def register(sub) -> None:
    s = sub.add_parser("quiz", help="根据计划原文生成测验题（填空、单选、判断、出处）")
    s.add_argument("--n", type=int, default=10, help=f"题目数，1 到 {MAX_QUESTIONS}（默认 10）")
    s.add_argument("--chapter", help="只从某一部分出题，如 四（含该部分的专栏）")
    s.add_argument("--kind", help="题型 fill|choice|truefalse|where，可用逗号组合")
    s.add_argument("--seed", type=int, default=7, help="随机种子：相同种子出相同的题（默认 7）")
    s.add_argument("--difficulty", help="难度 1（判断、出处）| 2（单选）| 3（填空）")
    s.add_argument("--format", default="md", help="md（默认）| json | csv")
    s.add_argument("--json", action="store_true", help="等同于 --format json")
    s.add_argument("--answers", action="store_true", help="Markdown/CSV 附答案与解析")
    s.set_defaults(func=cmd_quiz)
