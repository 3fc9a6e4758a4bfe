"""Accounts: salted scrypt hashes in a text file, roles, the `users` command, the slowdown of repeated
failed logins, and how the web app decides at launch whether it may start without a login."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

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
    assert add_user(path, "alice", PASSWORD, admin=True) and add_user(path, "bob", PASSWORD)
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and text.count(":scrypt:16384:") == 2
    assert (path.stat().st_mode & 0o777) == 0o600
    accounts = load_accounts(path)
    assert {n: a.role for n, a in accounts.items()} == {"alice": "admin", "bob": "user"}
    assert accounts["alice"].hash.split(":")[4] != accounts["bob"].hash.split(":")[4]  # the salts
    assert not add_user(path, "bob", "another-password", admin=True)  # replaced, now admin
    assert load_accounts(path)["bob"].admin
    remove_user(path, "bob")
    assert list(load_accounts(path)) == ["alice"]
    with pytest.raises(AccountsError, match="没有用户"):
        remove_user(path, "bob")
    with pytest.raises(AccountsError, match="至少"):
        add_user(path, "carol", "short")
    with pytest.raises(AccountsError, match="冒号"):
        add_user(path, "ca:rol", PASSWORD)


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


def test_repeated_failures_are_slowed_down_per_user_and_address(caplog):
    guard = LoginGuard({"alice": load_user("alice", admin=True), "bob": load_user("bob")}, clock=(clock := Clock()))
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
