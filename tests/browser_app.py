"""What the browser tests share: the real app (`python app.py`) in a subprocess, the system Chromium
driven by Playwright (never `playwright install`; a test is skipped when it is missing, and failed
instead when PLAN_ASSISTANT_REQUIRE_BROWSER=1, as in CI), and the steps a user takes in it."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT_MS = 300_000  # a first run builds the index before the first answer

def require_browser():
    if os.path.exists(CHROMIUM):
        return
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)"
    if os.environ.get("PLAN_ASSISTANT_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " and PLAN_ASSISTANT_REQUIRE_BROWSER=1")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_of(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with opener.open(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


class Server:
    """`python app.py --port N` in a subprocess, its console in a log file."""

    def __init__(self, log_path: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log_path
        full_env = {k: v for k, v in os.environ.items()
                    if k not in ("PLAN_ASSISTANT_HOST", "PLAN_ASSISTANT_PORT", "PLAN_ASSISTANT_AUTH")}
        full_env.update(env or {})
        self.log = open(log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, "app.py", "--port", str(self.port)], cwd=ROOT,
                                     env=full_env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited with {self.proc.returncode}:\n{log_path.read_text()}")
            try:
                if status_of(self.url) in (200, 401):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"app did not start on {self.url}:\n{log_path.read_text()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def watch(page, server) -> tuple[list, list]:
    """(alert messages, requests that left the app) seen by `page` from now on."""
    dialogs, outside = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("data:", "blob:", server.url))
            else None)
    return dialogs, outside


def open_app(browser, server, width: int = 1440, height: int = 900, tab: str | None = None, **options) -> tuple:
    """A new page in a Chinese browser `width` x `height` wide (more options for browser.new_page), opened
    on the app, on `tab` when given, and watched from before it loads: (the page, alert messages, requests
    that left the app)."""
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN", **options)
    dialogs, outside = watch(page, server)
    page.goto(server.url)
    if tab:
        page.get_by_role("tab", name=tab).click()
    return page, dialogs, outside


def ask(page, question: str, answers_before: int) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator(f"#sources section[data-answer='{answers_before}']").wait_for(state="attached",
                                                                              timeout=ANSWER_TIMEOUT_MS)


def log_in(browser, server, name, password):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url)
    page.locator("input[type=text]").fill(name)
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name="登录").click()
    page.locator("#question textarea").wait_for(timeout=30_000)
    return context, page


def call_queue(context, server, fn_index: int, data: list) -> list[dict]:
    """An event run the way the page runs it (queue/join, then the event stream): the messages a
    caller of the Gradio API gets back."""
    session = uuid.uuid4().hex[:10]
    joined = context.request.post(server.url + "gradio_api/queue/join", data={
        "data": data, "event_data": None, "fn_index": fn_index, "trigger_id": None, "session_hash": session})
    assert joined.status == 200, joined.text()
    stream = context.request.get(server.url + f"gradio_api/queue/data?session_hash={session}", timeout=60_000).text()
    return [json.loads(line[5:]) for line in stream.splitlines() if line.startswith("data:")]


def add_user(path: Path, name: str, password: str, admin: bool = False, role: str | None = None) -> None:
    """An account made the way an office makes one: `plan-assistant users add` (--admin, or --role)."""
    subprocess.run([sys.executable, "-m", "assistant", "users", "add", name, "--password-stdin", "--file", str(path),
                    *(["--admin"] if admin else []), *(["--role", role] if role else [])],
                   cwd=ROOT, input=password + "\n", text=True, check=True)


def api_ids(context, server) -> dict[str, int]:
    """The event ids of the app's named endpoints (hidden ones too), as the page's config lists them."""
    config = context.request.get(server.url + "config").json()
    return {d.get("api_name"): d["id"] for d in config["dependencies"]}
