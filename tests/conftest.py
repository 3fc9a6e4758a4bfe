import atexit
import os
import shutil
import tempfile

import pytest

from assistant.chunk import chunk_document
from assistant.parse import load

# Every test process (and the servers they start) logs into a folder of its own, never into the
# checkout's records.sqlite3; and finds no accounts file unless a test names one.
_RECORDS_DIR = tempfile.mkdtemp(prefix="plan-assistant-test-records-")
atexit.register(shutil.rmtree, _RECORDS_DIR, ignore_errors=True)
os.environ["PLAN_ASSISTANT_LOG_PATH"] = os.path.join(_RECORDS_DIR, "records.sqlite3")
os.environ["PLAN_ASSISTANT_DATA_DIR"] = os.path.join(_RECORDS_DIR, "data")
for _name in ("PLAN_ASSISTANT_AUTH", "PLAN_ASSISTANT_AUTH_FILE", "PLAN_ASSISTANT_LOG"):
    os.environ.pop(_name, None)


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
