"""users add|passwd|role|remove|list|convert: the accounts file the web app logs people in with.

    plan-assistant users add alice --admin          # asks for the password twice, without echo
    plan-assistant users add wang --role trainer    # a trainer: assigns quiz papers, reads results
    printf 'secret-pw\\n' | plan-assistant users add bob --password-stdin
    plan-assistant users passwd bob                 # a new password; the role stays
    plan-assistant users role bob trainer           # admin, trainer or user; the password stays
    plan-assistant users list [--json]
    plan-assistant users convert old-users.txt      # an old plain user:password file, hashed in place

Every subcommand but convert takes --file (the accounts file; by default the configured one).
"""

from __future__ import annotations

import getpass
import json
import sys
from contextlib import contextmanager


def _path(args):
    from ..config import Config

    return args.file or Config.load(plan=args.plan).auth_path


@contextmanager
def _accounts_errors():
    """An AccountsError inside, raised as the UserError the command line prints as one line."""
    from ..accounts import AccountsError
    from ..cli import UserError

    try:
        yield
    except AccountsError as e:
        raise UserError(str(e)) from None


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


ROLE_NAMES = {"admin": "管理员", "trainer": "培训师", "user": "普通用户"}


def role_of(args) -> str:
    """--role, or admin for --admin (the shortcut kept from before roles had a name); both only when
    they agree."""
    from ..cli import UserError

    if args.admin and args.role not in (None, "admin"):
        raise UserError(f"--admin 与 --role {args.role} 矛盾：只用其中一个")
    return "admin" if args.admin else args.role or "user"


def cmd_add(args) -> int:
    from ..accounts import add_user, check_absent, check_name, check_role

    path = _path(args)
    role = role_of(args)
    with _accounts_errors():
        check_role(role)  # a role the command does not know is one Chinese line, like a bad name
        check_name(args.name)  # a bad or taken name fails before the password is asked
        check_absent(path, args.name)
        add_user(path, args.name, read_password(args.password_stdin), role=role)
    print(f"已添加用户 {args.name}（{ROLE_NAMES[role]}），账号文件 {path}")
    return 0


def cmd_passwd(args) -> int:
    from ..accounts import account, load_accounts, set_password

    path = _path(args)
    with _accounts_errors():
        account(load_accounts(path), args.name)  # an unknown name fails before the password is asked
        set_password(path, args.name, read_password(args.password_stdin))
    print(f"已修改用户 {args.name} 的密码")
    return 0


def cmd_role(args) -> int:
    from ..accounts import set_role

    with _accounts_errors():
        changed = set_role(_path(args), args.name, args.role)
    print(f"{'已把' if changed else ''}用户 {args.name} {'设为' if changed else '已是'}{ROLE_NAMES[args.role]}")
    return 0


def cmd_remove(args) -> int:
    from ..accounts import remove_user

    with _accounts_errors():
        remove_user(_path(args), args.name)
    print(f"已删除用户 {args.name}")
    return 0


def cmd_list(args) -> int:
    from ..accounts import load_accounts

    with _accounts_errors():
        accounts = load_accounts(_path(args))
    if args.json:
        print(json.dumps([{"name": a.name, "role": a.role} for a in accounts.values()], ensure_ascii=False, indent=2))
    else:
        for a in accounts.values():
            print(f"{a.name}\t{ROLE_NAMES.get(a.role, a.role)}")
    return 0


def cmd_convert(args) -> int:
    from ..accounts import convert_plain

    with _accounts_errors():
        names = convert_plain(args.old, admins=set(args.admin or ()))
    print(f"已把 {len(names)} 个账号改为加盐哈希保存：{', '.join(names)}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("users", help="管理网页登录账号（密码以加盐哈希保存）")
    users = s.add_subparsers(dest="users_command", required=True)
    file_help = "账号文件（默认：配置项 auth_file，或数据目录下的 users.txt）"

    stdin_help = "从标准输入读一行作为密码（供脚本使用）"

    u = users.add_parser("add", help="添加用户（密码不回显地输入；已有的用户名不会被覆盖）")
    u.add_argument("name")
    u.add_argument("--role", metavar="admin|trainer|user", help="角色：admin（管理员，可看“管理”页）、trainer（培训师，"
                   "可布置试卷、看学员成绩）或 user（普通用户，默认）")
    u.add_argument("--admin", action="store_true", help="管理员，同 --role admin")
    u.add_argument("--password-stdin", action="store_true", help=stdin_help)
    u.add_argument("--file", help=file_help)
    u.set_defaults(func=cmd_add, needs_doc=False)

    u = users.add_parser("passwd", help="修改用户的密码（角色不变）")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true", help=stdin_help)
    u.add_argument("--file", help=file_help)
    u.set_defaults(func=cmd_passwd, needs_doc=False)

    u = users.add_parser("role", help="修改用户的角色：admin（管理员）、trainer（培训师）或 user（普通用户），密码不变")
    u.add_argument("name")
    u.add_argument("role", metavar="admin|trainer|user")
    u.add_argument("--file", help=file_help)
    u.set_defaults(func=cmd_role, needs_doc=False)

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
