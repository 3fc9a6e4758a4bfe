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
from ..owners import load_departments
from ..parse import load
from ..records import Records
from ..targets import extract_targets
from ..tasks import build_ledger

log = logging.getLogger("plan_assistant.app")

CONFIG = Config.load()
DOC = load(CONFIG.plan)
TARGETS = extract_targets(DOC)
LEDGER = build_ledger(DOC)  # the same ledger as Assistant.ledger, without loading the index
DEPARTMENTS = load_departments()

RECORDS = Records.open(CONFIG)  # the conversation log; `python app.py --no-log` turns it off

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
