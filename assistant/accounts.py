"""Accounts: a text file of users with salted scrypt hashes and a role, and the login check.

One line per user, `name:scrypt:N:r:p:SALT:HASH:ROLE` (salt and hash in base64, role `admin` or
`user`), written by `plan-assistant users add|remove`:

    alice:scrypt:16384:8:1:3q2+7w…:Vt0…:admin

A file of plain `name:password` lines (the format before hashing) is refused with a message that says
how to convert it (`plan-assistant users convert OLD`). The login check slows repeated failures down
per user and address: after FREE_FAILURES failures the next attempt is refused unheard until a wait
has passed that doubles with each further failure (capped at MAX_WAIT seconds); failures are logged.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("plan_assistant.accounts")

ROLES = ("admin", "user")
NAME = re.compile(r"^[^\s:#,][^\s:,]{0,63}$")
SCRYPT_N, SCRYPT_R, SCRYPT_P, SALT_BYTES, KEY_BYTES = 2**14, 8, 1, 16, 32
MIN_PASSWORD = 8
HEADER = "# plan-assistant accounts: name:scrypt:N:r:p:salt:hash:role (edit with `plan-assistant users`)\n"
FREE_FAILURES = 3
MAX_WAIT = 300.0
MAX_TRACKED = 10_000  # (user, address) pairs remembered; the oldest are forgotten past this


class AccountsError(ValueError):
    """The accounts file or a user's input is unusable; the message (Chinese) says what to do."""


def convert_hint(path: str | os.PathLike | None) -> str:
    target = f" {Path(path).name}" if path else " 旧文件"
    return (f"旧的明文密码账号文件已不再支持（密码须以加盐哈希保存）。转换方法：plan-assistant users convert{target}"
            "（就地改写为哈希格式），或用 plan-assistant users add 用户名 [--admin] 逐个重新添加。")


def hash_password(password: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R,
                  p: int = SCRYPT_P) -> str:
    """`scrypt:N:r:p:salt:hash` for `password`, with a fresh random salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                         maxmem=128 * r * n * 2)
    return f"scrypt:{n}:{r}:{p}:{base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split(":")
        if scheme != "scrypt":
            return False
        expected = hash_password(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected.encode(), stored.encode())


@dataclass(frozen=True)
class Account:
    name: str
    hash: str  # scrypt:N:r:p:salt:hash
    role: str = "user"

    @property
    def admin(self) -> bool:
        return self.role == "admin"

    def line(self) -> str:
        return f"{self.name}:{self.hash}:{self.role}\n"


def parse_accounts(text: str, path: str | os.PathLike | None = None) -> dict[str, Account]:
    """Accounts by name; blank lines and # comments skipped. A plain `name:password` line means the
    old format: AccountsError with the conversion hint. Any other bad line: AccountsError naming it."""
    accounts = {}
    for number, raw in enumerate(text.splitlines(), 1):
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
            accounts[parts[0]] = Account(parts[0], ":".join(parts[1:7]), parts[7])
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
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AccountsError(f"找不到账号文件 {Path(path).name}：先用 plan-assistant users add 用户名 创建") from None
    except (OSError, UnicodeDecodeError) as e:
        raise AccountsError(f"无法读取账号文件 {Path(path).name}：{getattr(e, 'strerror', None) or '不是 UTF-8 文本'}") from e
    return parse_accounts(text, path)


def save_accounts(path: str | os.PathLike, accounts: dict[str, Account]) -> None:
    """Written to a temporary file beside it, readable by the owner only, then renamed over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
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


def check_new(name: str, password: str) -> None:
    check_name(name)
    if len(password or "") < MIN_PASSWORD:
        raise AccountsError(f"密码至少 {MIN_PASSWORD} 个字符")


def add_user(path, name: str, password: str, admin: bool = False) -> bool:
    """Add or replace `name`; True when it is new. The file is created when missing."""
    check_new(name, password)
    accounts = load_accounts(path) if Path(path).exists() else {}
    new = name not in accounts
    accounts[name] = Account(name, hash_password(password), "admin" if admin else "user")
    save_accounts(path, accounts)
    return new


def remove_user(path, name: str) -> None:
    accounts = load_accounts(path)
    if name not in accounts:
        raise AccountsError(f"没有用户 {name}")
    del accounts[name]
    save_accounts(path, accounts)


def convert_plain(path, admins: set[str] = frozenset()) -> list[str]:
    """Rewrite an old plain `user:password` file in place as hashes; returns the user names."""
    text = Path(path).read_text(encoding="utf-8")
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


# the address of the client whose request is being handled, set by RememberClientAddress: Gradio hands
# its login check only the name and password
CLIENT_ADDRESS: contextvars.ContextVar[str] = contextvars.ContextVar("client_address", default="?")


class RememberClientAddress:
    """ASGI middleware: the peer address of each request into CLIENT_ADDRESS, for the login check.
    It is the direct peer: behind a reverse proxy every login comes from the proxy's address."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") in ("http", "websocket") and scope.get("client"):
            CLIENT_ADDRESS.set(str(scope["client"][0]))
        await self.app(scope, receive, send)


# a hash to verify against for unknown names, so the time taken does not tell which names exist
_DUMMY = hash_password(secrets.token_urlsafe(12))


class LoginGuard:
    """The login check over `accounts`, slowing repeated failures down per (user, address).

    `clock` is injectable so tests can step time instead of waiting."""

    def __init__(self, accounts: dict[str, Account], clock=time.monotonic):
        self.accounts = accounts
        self.clock = clock
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}  # key -> (count, time of last)
        self._lock = threading.Lock()

    def wait_left(self, user: str, address: str) -> float:
        """Seconds before the next attempt for (user, address) is heard (0: now)."""
        with self._lock:
            count, last = self._failures.get((user, address), (0, 0.0))
        if count < FREE_FAILURES:
            return 0.0
        wait = min(2.0 ** (count - FREE_FAILURES), MAX_WAIT)
        return max(0.0, last + wait - self.clock())

    def check(self, user: str | None, password: str | None, address: str | None = None) -> bool:
        user, password = (user or "").strip(), password or ""
        address = address or CLIENT_ADDRESS.get()
        key = (user, address)
        left = self.wait_left(user, address)
        if left > 0:
            log.warning("login refused unheard: user=%r address=%s, %.0f s of the wait left", user, address, left)
            return False
        account = self.accounts.get(user)
        ok = verify_password(password, account.hash if account else _DUMMY) and account is not None
        with self._lock:
            if ok:
                self._failures.pop(key, None)
            else:
                count = self._failures.pop(key, (0, 0.0))[0] + 1
                self._failures[key] = (count, self.clock())  # re-inserted: the dict stays oldest first
                while len(self._failures) > MAX_TRACKED:
                    del self._failures[next(iter(self._failures))]
        if ok:
            log.info("login: user=%r address=%s", user, address)
        else:
            log.warning("login failed: user=%r address=%s, failure %d in a row", user, address, count)
        return ok

    __call__ = check  # Gradio's auth= takes a callable (username, password) -> bool

    def is_admin(self, user: str | None) -> bool:
        account = self.accounts.get(user or "")
        return bool(account and account.admin)
