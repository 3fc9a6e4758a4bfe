"""The FAISS index on disk: built on first use, checked against its manifest on every load,
rebuilt when stale, written atomically under a file lock.

    index/e5-bundled/vectors.faiss   the vectors (inner product on L2-normalised vectors)
    index/e5-bundled/manifest.json   embedder id, dim, corpus sha256, chunker version, passage ids,
                                     and the sha256 of vectors.faiss (written last)

A missing, truncated or mismatched file never loads: it is reported and the index is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from filelock import FileLock, Timeout

from ..documents.chunk import CHUNKER_VERSION, Passage
from ..documents.library import file_sha256
from ..errors import IndexWriteError, StaleIndex
from .embedders import Embedder

VECTORS = "vectors.faiss"
MANIFEST = "manifest.json"
WORDS = "words.npz"  # the plan's words and their vectors (vocabulary.py), checked like the index
BATCH = 16


@dataclass
class DenseIndex:
    index: faiss.Index
    manifest: dict
    built: bool  # True when this call (re)built it
    persisted: bool = True

    def similarities(self, query_vec: np.ndarray) -> np.ndarray:
        """Cosine similarity of the query to every passage, in passage order."""
        scores, ids = self.index.search(query_vec.reshape(1, -1), self.index.ntotal)
        out = np.full(self.index.ntotal, -1.0, dtype=np.float32)
        out[ids[0][ids[0] >= 0]] = scores[0][ids[0] >= 0]
        return out


def index_dir_for(root: Path, embedder_id: str) -> Path:
    return Path(root) / re.sub(r"[^\w.-]+", "_", embedder_id).strip("_")


def expected_manifest(passages: list[Passage], embedder: Embedder, corpus_sha256: str) -> dict:
    return {
        "embedder": embedder.id,
        "dim": embedder.dim,
        "corpus_sha256": corpus_sha256,
        "chunker_version": CHUNKER_VERSION,
        "passage_ids": [p.id for p in passages],
    }


def load_index(folder: Path, expected: dict) -> DenseIndex:
    manifest_path, vectors_path = folder / MANIFEST, folder / VECTORS
    if not manifest_path.exists():
        raise StaleIndex("没有索引清单（首次使用或上次构建未完成）")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StaleIndex(f"索引清单无法读取：{e}") from e
    if not isinstance(manifest, dict):
        raise StaleIndex("索引清单不是 JSON 对象")
    for key, value in expected.items():
        if manifest.get(key) != value:
            raise StaleIndex(f"索引清单的 {key} 与当前不符（{str(manifest.get(key))[:40]}）")
    if not vectors_path.exists() or file_sha256(vectors_path) != manifest.get("vectors_sha256"):
        raise StaleIndex("向量文件缺失或已损坏（校验和不符）")
    try:
        index = faiss.read_index(str(vectors_path))
    except RuntimeError as e:  # e.g. written by an incompatible faiss version
        raise StaleIndex("向量文件无法读取（格式不符或已损坏）") from e
    if index.ntotal != len(expected["passage_ids"]) or index.d != expected["dim"]:
        raise StaleIndex("向量文件的条数或维度与清单不符")
    return DenseIndex(index, manifest, built=False)


def embed_passages(passages: list[Passage], embedder: Embedder, progress: bool = True) -> np.ndarray:
    from tqdm import tqdm

    texts = [p.embed_text for p in passages]
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    bar = tqdm(total=len(texts), desc="构建向量索引", unit="段", disable=not progress, file=sys.stderr)
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        out[start : start + len(batch)] = embedder.encode(batch, "passage")
        bar.update(len(batch))
    bar.close()
    return out


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_index(folder: Path, index: faiss.Index, manifest: dict) -> None:
    """Manifest removed first and written last: a build cut short leaves no manifest, so it never loads."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MANIFEST).unlink(missing_ok=True)
        _atomic_write(folder / VECTORS, lambda tmp: faiss.write_index(index, tmp))
        manifest = dict(manifest, vectors_sha256=file_sha256(folder / VECTORS))
        text = json.dumps(manifest, ensure_ascii=False, indent=1)
        _atomic_write(folder / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    except OSError as e:
        raise IndexWriteError(e.errno, f"索引无法写入 {folder}：{e.strerror or e}") from e


def open_index(
    passages: list[Passage],
    embedder: Embedder,
    corpus_sha256: str,
    root: Path,
    rebuild: bool = False,
    progress: bool = True,
    lock_timeout: float = 600,
    build: bool = True,
) -> DenseIndex:
    """Load the index for these passages and this embedder, building it when missing or stale.
    Two processes starting at once: one builds, the other waits on the lock and then loads.
    With `build` False it only loads: StaleIndex when the index would need building or another
    process holds the lock (is building it)."""
    folder = index_dir_for(root, embedder.id)
    expected = expected_manifest(passages, embedder, corpus_sha256)
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(folder) + ".lock", timeout=lock_timeout if build else 0):
            if not rebuild:
                try:
                    return load_index(folder, expected)
                except StaleIndex as e:
                    if not build:
                        raise
                    if progress:
                        print(f"索引需要重建：{e}", file=sys.stderr)
            return _build(folder, passages, embedder, expected, progress)
    except Timeout as e:
        if not build:
            raise StaleIndex("另一个进程正在构建索引") from e
        raise IndexWriteError(0, f"等待索引锁超时（{lock_timeout:.0f} 秒）：另一个进程正在构建 {folder}") from e


def _build(folder: Path, passages, embedder, expected: dict, progress: bool) -> DenseIndex:
    started = time.perf_counter()
    vectors = embed_passages(passages, embedder, progress)
    index = faiss.IndexFlatIP(embedder.dim)
    index.add(vectors)
    manifest = dict(expected, built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
                    build_seconds=round(time.perf_counter() - started, 3))
    try:
        write_index(folder, index, manifest)
    except IndexWriteError as e:
        # The vectors in memory are correct: serve them, say the index could not be saved.
        print(f"警告：{e}；本次运行使用内存中的索引。", file=sys.stderr)
        return DenseIndex(index, manifest, built=True, persisted=False)
    return DenseIndex(index, manifest, built=True)


def _word_key(words: list[str], embedder: Embedder) -> str:
    return hashlib.sha256(("\n".join([embedder.id, *words])).encode("utf-8")).hexdigest()


def open_word_vectors(words: list[str], embedder: Embedder, root: Path, progress: bool = True,
                      lock_timeout: float = 600) -> np.ndarray:
    """The plan's words embedded once ("query" side, L2-normalised), kept beside the index and rebuilt
    when the words or the embedder change. Never fatal: an unwritable folder keeps them in memory."""
    from tqdm import tqdm

    folder = index_dir_for(root, embedder.id)
    path, key = folder / WORDS, _word_key(words, embedder)
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock", timeout=lock_timeout):
        try:
            with np.load(path) as stored:
                if str(stored["key"]) == key and stored["vectors"].shape == (len(words), embedder.dim):
                    return stored["vectors"]
        except (OSError, KeyError, ValueError):
            pass  # missing or unreadable: rebuilt below
        out = np.zeros((len(words), embedder.dim), dtype=np.float32)
        bar = tqdm(total=len(words), desc="构建词表向量", unit="词", disable=not progress, file=sys.stderr)
        for start in range(0, len(words), BATCH * 4):
            batch = words[start : start + BATCH * 4]
            out[start : start + len(batch)] = embedder.encode(batch, "query")
            bar.update(len(batch))
        bar.close()
        def save(tmp):
            with open(tmp, "wb") as f:
                np.savez(f, key=np.array(key), vectors=out)

        try:
            _atomic_write(path, save)
        except OSError as e:
            print(f"警告：词表向量无法写入 {path}：{e.strerror or e}；本次运行使用内存中的向量。", file=sys.stderr)
        return out
