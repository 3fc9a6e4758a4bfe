import atexit
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from assistant.documents.chunk import chunk_document
from assistant.documents.parse import load

# Every test process (and the servers they start) logs into a folder of its own, never into the
# checkout's records.sqlite3; and finds no accounts file unless a test names one.
_RECORDS_DIR = tempfile.mkdtemp(prefix="plan-assistant-test-records-")
atexit.register(shutil.rmtree, _RECORDS_DIR, ignore_errors=True)
os.environ["PLAN_ASSISTANT_LOG_PATH"] = os.path.join(_RECORDS_DIR, "records.sqlite3")
os.environ["PLAN_ASSISTANT_DATA_DIR"] = os.path.join(_RECORDS_DIR, "data")
for _name in ("PLAN_ASSISTANT_AUTH", "PLAN_ASSISTANT_AUTH_FILE", "PLAN_ASSISTANT_LOG"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="module")
def output_dir():
    """Where the browser tests put screenshots and downloads (./test-output/)."""
    from browser_app import OUTPUT

    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="module")
def browser():
    """The system Chromium under Playwright (see tests/browser_app.py)."""
    from browser_app import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def doc():
    return load()


@pytest.fixture(scope="session")
def chunks(doc):
    return chunk_document(doc)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The real assistant on the bundled plan and embedder, its index in a fresh folder."""
    from assistant.api import Assistant
    from assistant.config import Config

    index_dir = tmp_path_factory.mktemp("index")
    return Assistant.load(Config.load(index_dir=str(index_dir)), progress=False)


@pytest.fixture(scope="session")
def library_data(assistant, tmp_path_factory):
    """A data folder (PLAN_ASSISTANT_DATA_DIR) whose library holds a 2027 plan beside the bundled one
    (tests/library_docs.py), added the way an office adds one, `plan-assistant library add`, its index
    built in the session's index folder."""
    from library_docs import plan_variant
    from service_process import clean_env

    data = tmp_path_factory.mktemp("library-data")
    path = plan_variant(tmp_path_factory.mktemp("upload") / "2027年计划.txt", 2027)
    env = clean_env(assistant.config.index_path, PLAN_ASSISTANT_DATA_DIR=str(data), PLAN_ASSISTANT_LOG="off")
    done = subprocess.run([sys.executable, "-m", "assistant", "library", "add", str(path), "--json"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return data


# ---- the records on both backends ------------------------------------------------------------------

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL cluster (tests/pg_cluster.py), started by the first test that needs it."""
    from pg_cluster import start_or_skip

    cluster = start_or_skip()
    yield cluster
    from assistant.records.engine import dispose_all

    dispose_all()
    cluster.stop()


def records_location(request, backend: str, folder) -> str:
    """A SQLite file in `folder`, or a new database of the session's PostgreSQL cluster."""
    if backend == "sqlite":
        return str(folder / "records.sqlite3")
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture(params=BACKENDS)
def records_url(request, tmp_path):
    """Where a test's records live, once per backend."""
    yield records_location(request, request.param, tmp_path)
    from assistant.records.engine import dispose_all

    dispose_all()  # each test's pool closed: the cluster's connections do not pile up
