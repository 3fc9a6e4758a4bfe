import pytest

from assistant.chunk import chunk_document
from assistant.parse import load


@pytest.fixture(scope="session")
def doc():
    return load()


@pytest.fixture(scope="session")
def chunks(doc):
    return chunk_document(doc)
