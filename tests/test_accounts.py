"""Accounts: salted scrypt hashes in a text file, roles, the `users` command, the slowdown of repeated
failed logins, and how the web app decides at launch whether it may start without a login."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest
from conftest import BACKENDS, records_location

from assistant.accounts import (
    FREE_FAILURES,
    AccountsError,
    LoginGuard,
    add_user,
    hash_password,
    load_accounts,
    parse_accounts,
    remove_user,
    verify_password,
)
from assistant.cli import main
from assistant.records import Records
from assistant.records.engine import dispose_all

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_hashes_are_salted_per_user_and_verify(tmp_path):
    a, b = hash_password(PASSWORD), hash_password(PASSWORD)
    assert a != b and a.startswith("scrypt:16384:8:1:")
    assert verify_password(PASSWORD, a) and verify_password(PASSWORD, b)
    assert not verify_password("correct-horse-batterY", a) and not verify_password("", a)
    assert not verify_password(PASSWORD, "plain-text") and not verify_password(PASSWORD, "md5:1:2:3:4:5")

    path = tmp_path / "users.txt"
    add_user(path, "alice", PASSWORD, admin=True)
    add_user(path, "bob", PASSWORD)
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and text.count(":scrypt:16384:") == 2
    assert (path.stat().st_mode & 0o777) == 0o600
    accounts = load_accounts(path)
    assert {n: a.role for n, a in accounts.items()} == {"alice": "admin", "bob": "user"}
    assert accounts["alice"].hash.split(":")[4] != accounts["bob"].hash.split(":")[4]  # the salts
    remove_user(path, "bob")
    assert list(load_accounts(path)) == ["alice"]
    with pytest.raises(AccountsError, match="没有用户"):
        remove_user(path, "bob")
    with pytest.raises(AccountsError, match="至少"):
        add_user(path, "carol", "short")
    with pytest.raises(AccountsError, match="冒号"):
        add_user(path, "ca:rol", PASSWORD)


def test_add_refuses_an_existing_name_and_passwd_and_role_change_one_thing_each(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.txt"
    add_user(path, "alice", PASSWORD, admin=True)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(AccountsError, match="用户 alice 已存在：改密码用 plan-assistant users passwd alice"):
        add_user(path, "alice", "another-password")
    assert path.read_text(encoding="utf-8") == before  # neither the password nor the admin role lost

    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "whatever-password")
    assert main(["users", "add", "alice", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert "用户 alice 已存在" in err and "users role alice admin|trainer|user" in err and "Traceback" not in err
    assert asked == []  # refused before the password is asked

    monkeypatch.setattr(sys, "stdin", io.StringIO("a-new-password\n"))
    assert main(["users", "passwd", "alice", "--password-stdin", "--file", str(path)]) == 0
    assert "已修改用户 alice 的密码" in capsys.readouterr().out
    alice = load_accounts(path)["alice"]
    assert verify_password("a-new-password", alice.hash) and not verify_password(PASSWORD, alice.hash) and alice.admin

    assert main(["users", "role", "alice", "user", "--file", str(path)]) == 0
    assert "已把用户 alice 设为普通用户" in capsys.readouterr().out
    alice = load_accounts(path)["alice"]
    assert not alice.admin and verify_password("a-new-password", alice.hash)
    assert main(["users", "role", "alice", "user", "--file", str(path)]) == 0
    assert "用户 alice 已是普通用户" in capsys.readouterr().out
    assert main(["users", "role", "alice", "boss", "--file", str(path)]) == 2
    assert "角色应为 admin（管理员）、trainer（培训师）或 user（普通用户），而不是 boss" in capsys.readouterr().err
    assert main(["users", "passwd", "nobody", "--file", str(path)]) == 2
    assert main(["users", "role", "nobody", "admin", "--file", str(path)]) == 2
    assert capsys.readouterr().err.count("没有用户 nobody") == 2
    assert (path.stat().st_mode & 0o777) == 0o600


def test_trainers_are_a_role_and_a_file_from_before_them_still_reads(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.txt"
    # a file written before the trainer role: admin and user lines only
    old = f"{HEADER_BEFORE_TRAINERS}alice:{hash_password(PASSWORD)}:admin\nbob:{hash_password(PASSWORD)}:user\n"
    path.write_text(old, encoding="utf-8")
    accounts = load_accounts(path)
    assert {n: (a.role, a.admin, a.trainer) for n, a in accounts.items()} == {
        "alice": ("admin", True, True), "bob": ("user", False, False)}

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "wang", "--role", "trainer", "--password-stdin", "--file", str(path)]) == 0
    assert "已添加用户 wang（培训师）" in capsys.readouterr().out
    wang = load_accounts(path)["wang"]
    assert (wang.role, wang.trainer, wang.admin) == ("trainer", True, False)
    assert main(["users", "list", "--file", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == ["alice\t管理员", "bob\t普通用户", "wang\t培训师"]
    assert main(["users", "role", "bob", "trainer", "--file", str(path)]) == 0
    assert "已把用户 bob 设为培训师" in capsys.readouterr().out
    assert load_accounts(path)["bob"].trainer and verify_password(PASSWORD, load_accounts(path)["bob"].hash)

    # --admin stays the shortcut of --role admin; the two disagreeing, or an unknown role, is one line
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "chief", "--admin", "--password-stdin", "--file", str(path)]) == 0
    assert load_accounts(path)["chief"].admin
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or PASSWORD)
    assert main(["users", "add", "zhao", "--admin", "--role", "user", "--file", str(path)]) == 2
    assert "--admin 与 --role user 矛盾" in capsys.readouterr().err
    assert main(["users", "add", "zhao", "--role", "teacher", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert "角色应为 admin（管理员）、trainer（培训师）或 user（普通用户），而不是 teacher" in err
    assert asked == [] and "zhao" not in load_accounts(path)
    with pytest.raises(AccountsError, match="而不是 teacher"):
        add_user(path, "zhao", PASSWORD, role="teacher")


HEADER_BEFORE_TRAINERS = "# plan-assistant accounts: name:scrypt:N:r:p:salt:hash:role (edit with `plan-assistant users`)\n"


@pytest.mark.parametrize("password, words", [
    ("        ", "不能为空，也不能全是空格"), ("", "不能为空"), ("\t\t\t\t\t\t\t\t\t", "全是空格"),
    ("short", "至少 8 个字符"), ("longname", "不能与用户名相同"), ("LongName", "不能与用户名相同"),
    (" longname ", "不能与用户名相同"),
])
def test_passwords_are_8_characters_not_blank_and_not_the_name(tmp_path, password, words):
    path = tmp_path / "users.txt"
    with pytest.raises(AccountsError, match=words):
        add_user(path, "longname", password)
    add_user(path, "longname", "longname-2026")
    with pytest.raises(AccountsError, match=words):
        from assistant.accounts import set_password

        set_password(path, "longname", password)


def test_a_name_twice_or_a_bad_line_is_refused_with_its_line_number(tmp_path):
    path = tmp_path / "users.txt"
    add_user(path, "alice", PASSWORD)
    line = path.read_text(encoding="utf-8").splitlines()[1]
    with pytest.raises(AccountsError, match="账号文件第 4 行：用户 alice 与第 2 行重复"):
        parse_accounts(f"# accounts\n{line}\n\n{line.replace(':user', ':admin')}\n")
    with pytest.raises(AccountsError, match="账号文件第 3 行无法识别"):
        parse_accounts(f"{line}\n# ok\nalice scrypt\n")


def test_a_utf8_bom_from_a_windows_editor_is_accepted(tmp_path):
    path = tmp_path / "users.txt"
    add_user(path, "alice", PASSWORD, admin=True)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    accounts = load_accounts(path)
    assert list(accounts) == ["alice"] and accounts["alice"].admin
    assert verify_password(PASSWORD, accounts["alice"].hash)
    add_user(path, "bob", PASSWORD)  # and it can be edited again
    assert list(load_accounts(path)) == ["alice", "bob"]


@pytest.fixture(params=["memory", *BACKENDS])
def failures_kept(request, tmp_path):
    """Where a LoginGuard keeps failures: in memory (no records), or with records on each backend."""
    if request.param == "memory":
        yield Records(None)
        return
    yield Records(records_location(request, request.param, tmp_path))
    dispose_all()


def test_the_wait_left_is_told_for_the_address_of_the_request_being_handled(failures_kept):
    from assistant.accounts import CLIENT_ADDRESS

    guard = LoginGuard({"alice": load_user("alice")}, failures_kept, clock=(clock := Clock()))
    CLIENT_ADDRESS.set("10.0.0.9")
    for _ in range(FREE_FAILURES + 1):
        guard.check("alice ", "guess")
    assert guard.wait_left(" alice") == 1.0 and guard.wait_left("alice", "10.0.0.8") == 0.0
    clock.t += 0.25
    assert guard.wait_left("alice") == 0.75
    assert not guard.check("alice", PASSWORD)  # still waiting: the right password is not heard yet
    clock.t += 0.75
    assert guard.wait_left("alice") == 0.0 and guard.check("alice", PASSWORD)


def test_old_plain_files_are_refused_with_how_to_convert(tmp_path, capsys):
    old = tmp_path / "users.txt"
    old.write_text("reviewer:correct-horse-battery\nboss:pa:ss:word\n", encoding="utf-8")
    with pytest.raises(AccountsError) as e:
        load_accounts(old)
    assert "明文" in str(e.value) and "plan-assistant users convert users.txt" in str(e.value)
    with pytest.raises(AccountsError, match="无法识别"):
        parse_accounts("just-a-name\n")
    with pytest.raises(AccountsError, match="哈希已损坏"):
        parse_accounts("a:scrypt:16384:8:1:!!!:???:user\n")

    assert main(["users", "convert", str(old), "--admin", "boss"]) == 0
    assert "2 个账号" in capsys.readouterr().out
    accounts = load_accounts(old)
    assert {n: a.role for n, a in accounts.items()} == {"reviewer": "user", "boss": "admin"}
    assert verify_password("pa:ss:word", accounts["boss"].hash)
    assert "correct-horse-battery" not in old.read_text(encoding="utf-8")
    assert main(["users", "convert", str(old)]) == 2
    assert "无需转换" in capsys.readouterr().err


def test_users_command(tmp_path, monkeypatch, capsys):
    path = str(tmp_path / "accounts" / "users.txt")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "alice", "--admin", "--password-stdin", "--file", path]) == 0
    assert "已添加用户 alice（管理员）" in capsys.readouterr().out
    assert Path(path).stat().st_mode & 0o777 == 0o600 and Path(path).parent.stat().st_mode & 0o777 == 0o700
    prompts = iter(["bob-password-1", "bob-password-1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(prompts))  # the terminal, not our code
    assert main(["users", "add", "bob", "--file", path]) == 0
    assert verify_password("bob-password-1", load_accounts(path)["bob"].hash)
    assert main(["users", "list", "--json", "--file", path]) == 0
    assert '"name": "alice"' in (out := capsys.readouterr().out) and '"role": "admin"' in out
    assert PASSWORD not in out and "scrypt" not in out

    prompts = iter(["one-password", "another-one"])
    assert main(["users", "add", "carol", "--file", path]) == 2
    assert "不一致" in capsys.readouterr().err
    assert main(["users", "add", "bad name", "--file", path]) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["users", "add", "dave", "--password-stdin", "--file", path]) == 2
    assert main(["users", "remove", "bob", "--file", path]) == 0
    assert main(["users", "remove", "bob", "--file", path]) == 2
    assert main(["users", "list", "--file", path]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "alice\t管理员"
    # without --file: the configured accounts file
    monkeypatch.setenv("PLAN_ASSISTANT_AUTH_FILE", path)
    assert main(["users", "list"]) == 0
    assert "alice" in capsys.readouterr().out


def test_repeated_failures_are_slowed_down_per_user_and_address(failures_kept, caplog):
    guard = LoginGuard({"alice": load_user("alice", admin=True), "bob": load_user("bob")}, failures_kept,
                       clock=(clock := Clock()))
    caplog.set_level(logging.INFO, logger="plan_assistant.accounts")
    assert guard.check("alice", PASSWORD, "10.0.0.1")
    for _ in range(FREE_FAILURES):
        assert not guard.check("alice", "guess", "10.0.0.1")
    assert guard.wait_left("alice", "10.0.0.1") == 1.0
    assert not guard.check("alice", PASSWORD, "10.0.0.1")  # refused unheard during the wait
    assert guard.check("alice", PASSWORD, "10.0.0.2")  # another address is not slowed down
    assert guard.check("bob", PASSWORD, "10.0.0.1")  # nor another user from that address
    clock.t += 1.0
    assert not guard.check("alice", "guess", "10.0.0.1")  # heard, wrong: the wait doubles
    assert guard.wait_left("alice", "10.0.0.1") == 2.0
    clock.t += 2.0
    assert guard.check("alice", PASSWORD, "10.0.0.1")  # a success clears the count
    assert guard.wait_left("alice", "10.0.0.1") == 0.0
    assert not guard.check("nobody", PASSWORD, "10.0.0.1") and not guard.check(None, None)
    assert guard.is_admin("alice") and not guard.is_admin("bob") and not guard.is_admin("nobody")
    messages = [r.getMessage() for r in caplog.records]
    assert sum("login failed: user='alice' address=10.0.0.1" in m for m in messages) == FREE_FAILURES + 1
    assert any("refused unheard: user='alice' address=10.0.0.1" in m for m in messages)
    assert all(PASSWORD not in m and "guess" not in m for m in messages)


@pytest.mark.parametrize("backend", BACKENDS)
def test_replicas_sharing_the_records_slow_down_the_same_guesser(backend, request, tmp_path):
    where = records_location(request, backend, tmp_path)
    accounts = {"alice": load_user("alice")}
    clock = Clock()
    one, other = (LoginGuard(accounts, Records(where), clock=clock) for _ in range(2))  # two app processes
    for guard in (one, other, one):
        assert not guard.check("alice", "guess", "10.0.0.1")
    assert one.wait_left("alice", "10.0.0.1") == other.wait_left("alice", "10.0.0.1") == 1.0
    assert not other.check("alice", PASSWORD, "10.0.0.1")  # refused unheard on the replica that saw one failure
    clock.t += 1.0
    assert not other.check("alice", "guess", "10.0.0.1")
    assert one.wait_left("alice", "10.0.0.1") == 2.0  # the fourth failure, counted once for both
    clock.t += 2.0
    assert one.check("alice", PASSWORD, "10.0.0.1")
    assert other.wait_left("alice", "10.0.0.1") == 0.0
    # a clock that went back an hour never makes a wait longer than its own length
    for _ in range(FREE_FAILURES):
        other.check("alice", "guess", "10.0.0.1")
    clock.t -= 3600
    assert one.wait_left("alice", "10.0.0.1") == 1.0
    dispose_all()


def test_records_that_cannot_be_reached_leave_the_count_in_memory(tmp_path, caplog):
    closed = "postgresql+psycopg://plan:not-shown-pw@127.0.0.1:9/plan"  # nothing listens on port 9
    pytest.importorskip("psycopg")
    guard = LoginGuard({"alice": load_user("alice")}, Records(closed), clock=(clock := Clock()))
    for _ in range(FREE_FAILURES):
        assert not guard.check("alice", "guess", "10.0.0.1")
    assert guard.wait_left("alice", "10.0.0.1") == 1.0
    assert not guard.check("alice", PASSWORD, "10.0.0.1")
    clock.t += 1.0
    assert guard.check("alice", PASSWORD, "10.0.0.1") and guard.wait_left("alice", "10.0.0.1") == 0.0
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and all("kept in memory only" in m and "***" in m and "not-shown-pw" not in m for m in errors)


def load_user(name, admin=False):
    from assistant.accounts import Account

    return Account(name, hash_password(PASSWORD), "admin" if admin else "user")


# ---- the web app's launch ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app():
    sys.path.insert(0, str(ROOT))
    import app as module

    return module


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True),
                                            ("::1", True), ("0.0.0.0", False), ("10.1.2.3", False),
                                            ("::", False), ("example.org", False)])
def test_loopback_addresses(app, host, loopback):
    assert app.is_loopback(host) is loopback


def test_launch_refuses_an_open_address_without_accounts(app, tmp_path, capsys):
    assert app.main(["--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "users add" in err and "--insecure-no-auth" in err
    assert app.main(["--share"]) == 2
    assert app.login_guard(app.build_parser().parse_args(["--host", "0.0.0.0", "--insecure-no-auth"])) is None
    assert app.login_guard(app.build_parser().parse_args([])) is None  # this machine only: no login needed

    path = tmp_path / "users.txt"
    add_user(path, "reviewer", PASSWORD, admin=True)
    guard = app.login_guard(app.build_parser().parse_args(["--host", "0.0.0.0", "--auth-file", str(path)]))
    assert guard("reviewer", PASSWORD) and not guard("reviewer", "wrong") and guard.is_admin("reviewer")


def test_launch_refuses_plain_and_missing_accounts(app, tmp_path, capsys, monkeypatch):
    bad = tmp_path / "users.txt"
    bad.write_text("reviewer:correct-horse-battery\n", encoding="utf-8")
    assert app.main(["--auth-file", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "明文" in err and "users convert" in err and str(tmp_path) not in err
    assert app.main(["--auth-file", str(tmp_path / "missing.txt")]) == 2
    assert "找不到账号文件" in capsys.readouterr().err
    monkeypatch.setenv("PLAN_ASSISTANT_AUTH", "reviewer:correct-horse-battery")
    assert app.main([]) == 2
    assert "PLAN_ASSISTANT_AUTH" in capsys.readouterr().err
