"""Accounts: a text file of users with salted scrypt hashes and a role, and the login check.

One line per user, `name:scrypt:N:r:p:SALT:HASH:ROLE` (salt and hash in base64, role `admin`,
`trainer` or `user`), written by `plan-assistant users add|passwd|role|remove`:

    alice:scrypt:16384:8:1:3q2+7w…:Vt0…:admin

A file written before the trainer role (admin and user only) reads the same. A name twice or a
line that is not an account makes the whole file refused, with the line number (a hand edit
must not silently decide which password counts); a UTF-8 BOM (Windows editors) is fine.

A file of plain `name:password` lines (the format before hashing) is refused with a message that says
how to convert it (`plan-assistant users convert OLD`). The login check is `logins.LoginGuard`.
"""

from __future__ import annotations

import base64
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

# the login check (logins.py) and the hashes (passwords.py), importable from here as before
from .logins import CLIENT_ADDRESS, FREE_FAILURES, MAX_WAIT, LoginGuard, RememberClientAddress  # noqa: F401
from .passwords import hash_password, verify_password  # noqa: F401
from .private import make_private_dir

ROLES = ("admin", "trainer", "user")
NAME = re.compile(r"^[^\s:#,][^\s:,]{0,63}$")
MIN_PASSWORD = 8
HEADER = "# plan-assistant accounts: name:scrypt:N:r:p:salt:hash:role (edit with `plan-assistant users`)\n"


class AccountsError(ValueError):
    """The accounts file or a user's input is unusable; the message (Chinese) says what to do."""


def convert_hint(path: str | os.PathLike | None) -> str:
    target = f" {Path(path).name}" if path else " 旧文件"
    return (f"旧的明文密码账号文件已不再支持（密码须以加盐哈希保存）。转换方法：plan-assistant users convert{target}"
            "（就地改写为哈希格式），或用 plan-assistant users add 用户名 [--admin] 逐个重新添加。")


@dataclass(frozen=True)
class Account:
    name: str
    hash: str  # scrypt:N:r:p:salt:hash
    role: str = "user"

    @property
    def admin(self) -> bool:
        return self.role == "admin"

    @property
    def trainer(self) -> bool:
        """May assign quiz papers and read trainees' results: a trainer, or an admin."""
        return self.role in ("admin", "trainer")

    def line(self) -> str:
        return f"{self.name}:{self.hash}:{self.role}\n"


def parse_accounts(text: str, path: str | os.PathLike | None = None) -> dict[str, Account]:
    """Accounts by name; blank lines and # comments skipped. A plain `name:password` line means the
    old format: AccountsError with the conversion hint. Any other bad line: AccountsError naming it."""
    accounts, lines = {}, {}
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) == 8 and parts[1] == "scrypt" and parts[7] in ROLES and NAME.match(parts[0]):
            try:
                int(parts[2]), int(parts[3]), int(parts[4])
                base64.b64decode(parts[5], validate=True), base64.b64decode(parts[6], validate=True)
            except ValueError:
                raise AccountsError(f"账号文件第 {number} 行无法识别（哈希已损坏）") from None
            if parts[0] in accounts:
                raise AccountsError(f"账号文件第 {number} 行：用户 {parts[0]} 与第 {lines[parts[0]]} 行重复，"
                                    "请删去其中一行")
            accounts[parts[0]], lines[parts[0]] = Account(parts[0], ":".join(parts[1:7]), parts[7]), number
        elif "scrypt" not in parts and (len(parts) >= 2 or "," in line):
            raise AccountsError(f"账号文件第 {number} 行是明文密码。{convert_hint(path)}")
        else:
            raise AccountsError(f"账号文件第 {number} 行无法识别，应为 用户名:scrypt:…:角色")
    return accounts


def parse_plain(text: str) -> dict[str, str]:
    """The old format: "user:pass" entries, one per line or comma-separated (the password may hold ':')."""
    users = {}
    for entry in text.replace(",", "\n").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise AccountsError(f"旧账号格式应为 用户名:密码，而不是“{entry[:20]}”")
        users[user.strip()] = password
    return users


def load_accounts(path: str | os.PathLike) -> dict[str, Account]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a BOM (Windows editors) is dropped
    except FileNotFoundError:
        raise AccountsError(f"找不到账号文件 {Path(path).name}：先用 plan-assistant users add 用户名 创建") from None
    except (OSError, UnicodeDecodeError) as e:
        raise AccountsError(f"无法读取账号文件 {Path(path).name}：{getattr(e, 'strerror', None) or '不是 UTF-8 文本'}") from e
    return parse_accounts(text, path)


def save_accounts(path: str | os.PathLike, accounts: dict[str, Account]) -> None:
    """Written to a temporary file beside it, readable by the owner only, then renamed over it (a
    folder made for it is the owner's only too)."""
    path = Path(path)
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(HEADER + "".join(a.line() for a in sorted(accounts.values(), key=lambda a: a.name)))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_name(name: str) -> None:
    if not NAME.match(name or ""):
        raise AccountsError("用户名不能为空，不能含空白、冒号或逗号，最长 64 个字符")


def check_password(name: str, password: str) -> None:
    """At least MIN_PASSWORD characters, not only blanks, not the name (in any case, spaced or not)."""
    password = password or ""
    if not password.strip():
        raise AccountsError("密码不能为空，也不能全是空格")
    if len(password) < MIN_PASSWORD:
        raise AccountsError(f"密码至少 {MIN_PASSWORD} 个字符")
    if password.strip().casefold() == name.casefold():
        raise AccountsError("密码不能与用户名相同")


def check_new(name: str, password: str) -> None:
    check_name(name)
    check_password(name, password)


def existing(path) -> dict[str, Account]:
    """The accounts of `path`, none when the file does not exist yet."""
    return load_accounts(path) if Path(path).exists() else {}


def check_absent(path, name: str) -> None:
    if name in existing(path):
        raise AccountsError(f"用户 {name} 已存在：改密码用 plan-assistant users passwd {name}，"
                            f"改角色用 plan-assistant users role {name} admin|trainer|user")


def account(accounts: dict[str, Account], name: str) -> Account:
    if name not in accounts:
        raise AccountsError(f"没有用户 {name}")
    return accounts[name]


def check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountsError(f"角色应为 admin（管理员）、trainer（培训师）或 user（普通用户），而不是 {role}")


def add_user(path, name: str, password: str, admin: bool = False, role: str | None = None) -> None:
    """Add `name` with `role` (admin=True is role "admin"; by default "user"); the file is created
    when missing; an existing name is refused, never replaced."""
    role = role or ("admin" if admin else "user")
    check_role(role)
    check_new(name, password)
    check_absent(path, name)
    accounts = existing(path)
    accounts[name] = Account(name, hash_password(password), role)
    save_accounts(path, accounts)


def set_password(path, name: str, password: str) -> None:
    """A new password for `name`; the role stays."""
    accounts = load_accounts(path)
    old = account(accounts, name)
    check_password(name, password)
    accounts[name] = Account(name, hash_password(password), old.role)
    save_accounts(path, accounts)


def set_role(path, name: str, role: str) -> bool:
    """`name` made `role` (admin, trainer or user); False when it already had it. The password stays."""
    check_role(role)
    accounts = load_accounts(path)
    old = account(accounts, name)
    if old.role == role:
        return False
    accounts[name] = Account(name, old.hash, role)
    save_accounts(path, accounts)
    return True


def remove_user(path, name: str) -> None:
    accounts = load_accounts(path)
    account(accounts, name)
    del accounts[name]
    save_accounts(path, accounts)


def convert_plain(path, admins: set[str] = frozenset()) -> list[str]:
    """Rewrite an old plain `user:password` file in place as hashes; returns the user names."""
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        parse_accounts(text, path)
        raise AccountsError("该账号文件已是哈希格式，无需转换")
    except AccountsError as e:
        if "明文" not in str(e):
            raise
    plain = parse_plain(text)
    for name in plain:
        check_name(name)
    save_accounts(path, {n: Account(n, hash_password(p), "admin" if n in admins else "user")
                         for n, p in plain.items()})
    return list(plain)
