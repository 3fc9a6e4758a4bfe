"""One compute thread per worker process: parallelism comes from worker processes, not from
OpenMP/BLAS threads fighting over the same cores."""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def pin_threads() -> None:
    """Set every thread-count variable the numeric libraries read when they load. Call it before
    numpy, faiss or the embedder are imported: they read the environment once, at load time. Child
    processes inherit the setting."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
