"""Worker processes for work that parallelises by file: loading a large catalogue, rendering PDFs.

Workers are forked, so each starts at once with everything already imported. Only the parent
handles interrupts, and a worker ends when its parent does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import threading
from multiprocessing.pool import Pool


def init() -> None:
    """In a worker: the parent alone handles interrupts, and the worker ends when the parent does.

    SIGTERM (how the pool stops a worker) ends it quietly; Ctrl+C reaches the whole terminal
    group, but only the parent acts on it; and a parent killed outright takes its workers along.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere an orphaned worker just finishes its task


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Forking is safe only where it exists and no other thread could hold a lock at that moment."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def pool(workers: int) -> Pool:
    """A pool of `workers` forked processes; leaving its `with` block terminates and joins them."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=init)
