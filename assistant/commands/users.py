"""users add|remove|list|convert: the accounts file the web app logs people in with.

    plan-assistant users add alice --admin          # asks for the password twice, without echo
    printf 'secret-pw\\n' | plan-assistant users add bob --password-stdin
    plan-assistant users list [--json]
    plan-assistant users convert old-users.txt      # an old plain user:password file, hashed in place
"""

from __future__ import annotations

import getpass
import json
import sys


def _path(args):
    from ..config import Config

    return args.file or Config.load(plan=args.plan).auth_path


def _user_error(e):
    from ..cli import UserError

    return UserError(str(e))


def read_password(from_stdin: bool) -> str:
    from ..cli import UserError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        first = getpass.getpass("密码：")
        again = getpass.getpass("再输入一次：")
    except (EOFError, KeyboardInterrupt):
        raise UserError("已取消") from None
    if first != again:
        raise UserError("两次输入的密码不一致")
    return first


def cmd_add(args) -> int:
    from ..accounts import AccountsError, add_user, check_name

    path = _path(args)
    try:
        check_name(args.name)  # a bad name fails before the password is asked
        new = add_user(path, args.name, read_password(args.password_stdin), admin=args.admin)
    except AccountsError as e:
        raise _user_error(e) from None
    role = "管理员" if args.admin else "普通用户"
    print(f"{'已添加' if new else '已更新'}用户 {args.name}（{role}），账号文件 {path}")
    return 0


def cmd_remove(args) -> int:
    from ..accounts import AccountsError, remove_user

    try:
        remove_user(_path(args), args.name)
    except AccountsError as e:
        raise _user_error(e) from None
    print(f"已删除用户 {args.name}")
    return 0


def cmd_list(args) -> int:
    from ..accounts import AccountsError, load_accounts

    try:
        accounts = load_accounts(_path(args))
    except AccountsError as e:
        raise _user_error(e) from None
    if args.json:
        print(json.dumps([{"name": a.name, "role": a.role} for a in accounts.values()], ensure_ascii=False, indent=2))
    else:
        for a in accounts.values():
            print(f"{a.name}\t{'管理员' if a.admin else '普通用户'}")
    return 0


def cmd_convert(args) -> int:
    from ..accounts import AccountsError, convert_plain

    try:
        names = convert_plain(args.old, admins=set(args.admin or ()))
    except AccountsError as e:
        raise _user_error(e) from None
    print(f"已把 {len(names)} 个账号改为加盐哈希保存：{', '.join(names)}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("users", help="管理网页登录账号（密码以加盐哈希保存）")
    users = s.add_subparsers(dest="users_command", required=True)
    file_help = "账号文件（默认：配置项 auth_file，或数据目录下的 users.txt）"

    u = users.add_parser("add", help="添加或修改用户（密码不回显地输入）")
    u.add_argument("name")
    u.add_argument("--admin", action="store_true", help="管理员（可看“管理”页）")
    u.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（供脚本使用）")
    u.add_argument("--file", help=file_help)
    u.set_defaults(func=cmd_add, needs_doc=False)

    u = users.add_parser("remove", help="删除用户")
    u.add_argument("name")
    u.add_argument("--file", help=file_help)
    u.set_defaults(func=cmd_remove, needs_doc=False)

    u = users.add_parser("list", help="列出用户及角色（不显示密码）")
    u.add_argument("--file", help=file_help)
    u.add_argument("--json", action="store_true")
    u.set_defaults(func=cmd_list, needs_doc=False)

    u = users.add_parser("convert", help="把旧的明文 用户名:密码 文件就地改为哈希格式")
    u.add_argument("old")
    u.add_argument("--admin", action="append", metavar="NAME", help="设为管理员的用户（可重复）")
    u.set_defaults(func=cmd_convert, needs_doc=False)
