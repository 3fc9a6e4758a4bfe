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
# One index folder for the run: the session's assistant builds the plan's index there once, and the web
# app's own load (state.CONFIG) and the processes the tests start find it, never the checkout's ./index
# (in a folder of the run's own: a service started with no log setting logs beside its index folder)
_RUN_DIR = tempfile.mkdtemp(prefix="plan-assistant-test-run-")
atexit.register(shutil.rmtree, _RUN_DIR, ignore_errors=True)
_INDEX_DIR = os.path.join(_RUN_DIR, "index")
os.makedirs(_INDEX_DIR)
os.environ["PLAN_ASSISTANT_INDEX_DIR"] = _INDEX_DIR
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


@pytest.fixture(scope="module")
def start_app(browser, output_dir):
    """start_app(log_name, data_dir, accounts_file=None, records_file=None): the real app (browser_app.Server)
    with that data folder (PLAN_ASSISTANT_DATA_DIR), and logins from that accounts file logged in that
    records file when given; its console in ./test-output/<log_name>. Stopped at the module's end."""
    from browser_app import Server

    started = []

    def start(log_name: str, data_dir, accounts_file=None, records_file=None) -> Server:
        env = {"PLAN_ASSISTANT_DATA_DIR": str(data_dir)}
        if accounts_file:
            env["PLAN_ASSISTANT_AUTH_FILE"] = str(accounts_file)
        if records_file:
            env["PLAN_ASSISTANT_LOG_PATH"] = str(records_file)
        started.append(Server(output_dir / log_name, env))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """PLAN_ASSISTANT_DATA_DIR of the module's app: an import in a test never touches the real one."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    """An accounts file made the way an office makes one (`plan-assistant users add`): reviewer, and chief
    an admin; (the file, the records file beside it that auth_server logs into)."""
    from browser_app import add_user

    folder = tmp_path_factory.mktemp("accounts")
    path, log = folder / "users.txt", folder / "records.sqlite3"
    add_user(path, "reviewer", "correct-horse-battery")
    add_user(path, "chief", "chief-office-secret", admin=True)
    return path, log


def _app_log(request, suffix: str = "") -> str:
    """test_e2e_ui.py's app logs to app-e2e-ui.log (suffix "-auth": app-e2e-ui-auth.log)."""
    module = request.module.__name__.rpartition(".")[2].removeprefix("test_").replace("_", "-")
    return f"app-{module}{suffix}.log"


@pytest.fixture(scope="module")
def server(request, start_app, data_dir):
    """The module's app without accounts: anyone may use it."""
    return start_app(_app_log(request), data_dir)


@pytest.fixture(scope="module")
def auth_server(request, start_app, accounts, data_dir):
    """The module's app with `accounts`: nothing without a login."""
    return start_app(_app_log(request, "-auth"), data_dir, *accounts)


@pytest.fixture(scope="session")
def doc():
    return load()


@pytest.fixture(scope="session")
def chunks(doc):
    return chunk_document(doc)


@pytest.fixture(scope="session")
def assistant():
    """The real assistant on the bundled plan and embedder, its index in the run's index folder."""
    from assistant.api import Assistant
    from assistant.config import Config

    return Assistant.load(Config.load(index_dir=_INDEX_DIR), progress=False)


@pytest.fixture
def first_parts_plan(tmp_path):
    """The bundled plan cut before its part 五 (a text file): an index of it builds in seconds."""
    from importlib.resources import files

    from assistant.documents.parse import BUNDLED_PLAN

    lines = files("assistant.data").joinpath(BUNDLED_PLAN).read_text(encoding="utf-8").splitlines()
    fifth = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    plan = tmp_path / "plan-first-parts.txt"
    plan.write_text("\n".join(lines[:fifth]) + "\n", encoding="utf-8")
    return plan


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


# ---- LLM mode against a fake endpoint ---------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_llm():
    """An OpenAI-compatible endpoint of the module's own (tests/fake_openai.py), answering what a test scripts."""
    from fake_openai import FakeOpenAI

    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="module")
def plain():
    """The assistant without an endpoint: the extractive answers LLM mode falls back to."""
    from assistant.api import Assistant
    from assistant.config import Config

    return Assistant.load(Config.load(), progress=False)


@pytest.fixture
def fake_llm_assistant(plain, fake_llm):
    """fake_llm_assistant(**settings): `plain` in LLM mode on `fake_llm`, with these config settings
    (llm_timeout=…). Each test starts with an endpoint that has no replies scripted, no requests seen
    and has not failed yet."""
    from dataclasses import replace

    from assistant.llm import reset_breakers

    fake_llm.replies.clear()
    fake_llm.requests.clear()
    fake_llm.received.clear()
    reset_breakers()

    def configured(**settings):
        return replace(plain, config=replace(plain.config, llm_base_url=fake_llm.url + "/v1", llm_model="fake",
                                             **settings))

    return configured


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


@pytest.fixture
def records(records_url):
    """The records at `records_url` (assistant.records.Records), once per backend."""
    from assistant.records import Records

    return Records(records_url)
