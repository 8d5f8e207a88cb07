"""BLAS on one thread while the engine runs.

The engine's work is a few matrix products of at most 2,000 × 2,000 on a server that runs several
requests (and other processes) at once. OpenBLAS's own threads, competing with those for the same cores,
made one zone's complexity 3–7× slower and its time erratic when measured on the shared 2-core machine
(docs/PERFORMANCE.md); one thread per computation is faster there and predictable everywhere.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from threadpoolctl import threadpool_limits


def single_threaded_blas() -> AbstractContextManager:
    return threadpool_limits(limits=1, user_api="blas")
