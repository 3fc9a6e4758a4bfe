import pytest

from assistant.chunk import chunk_document
from assistant.parse import load


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
