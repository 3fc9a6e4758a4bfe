"""What every tab shares: the parsed plan and what is computed from it (cheap, at import), the one
Assistant of the process (index and models, loaded lazily, once, for all sessions), and the
folder of files offered for download."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
import threading
from pathlib import Path

from ..config import Config
from ..documents.parse import load
from ..documents.targets import extract_targets
from ..owners import load_departments
from ..records import Records
from ..tasks import build_ledger

log = logging.getLogger("plan_assistant.app")

CONFIG = Config.load()
DOC = load(CONFIG.plan)
TARGETS = extract_targets(DOC)
LEDGER = build_ledger(DOC)  # the same ledger as Assistant.ledger, without loading the index
DEPARTMENTS = load_departments()

RECORDS = Records.open(CONFIG)  # the conversation log; `python app.py --no-log` turns it off

ACCOUNTS: dict | None = None  # the accounts of the login (name -> Account), set by app.py; None: no login


def set_accounts(accounts: dict | None) -> None:
    global ACCOUNTS
    ACCOUNTS = dict(accounts) if accounts else None


def client_is_loopback(request) -> bool:
    import ipaddress

    try:
        host = request.client.host
        return host == "localhost" or ipaddress.ip_address(str(host).strip("[]")).is_loopback
    except (AttributeError, TypeError, ValueError):
        return False


DENIED = "需要管理员权限"


def require_admin(request) -> None:
    """Raise gr.Error unless the user of `request` is an admin; the attempt is logged. Every callback
    of an admin-only part calls it first: hiding the part is not the guard (the Gradio API reaches a
    hidden component's events too)."""
    if not is_admin(request):
        import gradio as gr

        log.warning("admin-only action refused: user=%r", getattr(request, "username", None))
        raise gr.Error(DENIED)


def is_admin(request) -> bool:
    """May the user of `request` see the 管理 tab and its data? With a login: an account whose role is
    admin. Without one: only when local_admin is on (PLAN_ASSISTANT_LOCAL_ADMIN=on) and the browser
    is on this machine (a loopback address), so an app run without a login on a reachable address
    never shows the log to others."""
    if ACCOUNTS:
        account = ACCOUNTS.get(getattr(request, "username", None) or "")
        return bool(account and account.admin)
    return CONFIG.local_admin_enabled and client_is_loopback(request)


TRAINER_DENIED = "需要培训师或管理员权限"


def login_name(request) -> str | None:
    """The account name of `request`'s user; None without accounts (no login, nothing is stored
    under a name) or for a name that is not an account."""
    name = getattr(request, "username", None)
    return name if ACCOUNTS and name in ACCOUNTS else None


def is_trainer(request) -> bool:
    """May the user of `request` assign quiz papers and read trainees' results? An account whose
    role is trainer or admin; nobody without accounts (a paper and its results need names)."""
    name = login_name(request)
    return bool(name and ACCOUNTS[name].trainer)


def require_trainer(request) -> str:
    """The trainer's (or admin's) name, else gr.Error; every callback of a trainer-only part calls it
    first, as `require_admin` for the admin's."""
    if not is_trainer(request):
        import gradio as gr

        log.warning("trainer-only action refused: user=%r", getattr(request, "username", None))
        raise gr.Error(TRAINER_DENIED)
    return login_name(request)


_assistant = None
_assistant_lock = threading.Lock()


def disable_log() -> None:
    global RECORDS
    RECORDS = Records.open(CONFIG, enabled=False)


def get_assistant():
    """The one Assistant of this process, loaded on first use (building the index on a first run,
    with its progress bar on the console); concurrent first callers wait for the same load."""
    global _assistant
    if _assistant is None:
        with _assistant_lock:
            if _assistant is None:
                from ..api import Assistant

                _assistant = Assistant.load(CONFIG)
    return _assistant


def assistant_ready() -> bool:
    return _assistant is not None


def warm_up() -> None:
    """Load in the background at startup so the first question does not wait for it."""
    try:
        get_assistant()
        log.info("assistant loaded")
    except Exception:  # the first question retries and shows the error to the user
        log.exception("loading the assistant failed")


# ---- files for download ---------------------------------------------------------------------------

_export_dir: Path | None = None


def export_root() -> Path:
    """This process's folder for files offered for download."""
    global _export_dir
    if _export_dir is None:
        _export_dir = Path(tempfile.mkdtemp(prefix="plan-assistant-"))
    return _export_dir


def export_folder(kind: str, key, write) -> Path:
    """The folder holding the files `write(folder)` makes for `key` (anything JSON-able that
    determines their content). One folder per distinct content, written once and moved into place
    whole, so two sessions never see each other's half-written file and a repeated export costs
    nothing."""
    digest = hashlib.sha256(json.dumps(key, ensure_ascii=False, default=str).encode()).hexdigest()[:20]
    final = export_root() / f"{kind}-{digest}"
    if not final.exists():
        scratch = Path(tempfile.mkdtemp(dir=export_root()))
        write(scratch)
        try:
            scratch.rename(final)
        except OSError:  # another session made the same files meanwhile
            shutil.rmtree(scratch, ignore_errors=True)
    return final


def safe_filename_part(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\s]+', "_", text).strip("._")[:40]
