"""How much a piece of work costs this process: wall and CPU time, and how far its resident
memory grew (Linux /proc), for benches that run each side in a forked process."""

from __future__ import annotations

import time
from collections.abc import Callable


def _status(field: str) -> int:
    """A figure of this process's /proc/self/status, in kB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> int:
    """Make the peak resident size (VmHWM) start again from now; returns the resident size.
    A forked child's ``ru_maxrss`` starts at its parent's peak, which a run under it may
    never reach (the parent made the database and the sheet that counts the pages); and
    memory the parent freed but kept would be used again without growing: it is given back
    first (``malloc_trim``), so each run's growth is what it allocates."""
    import ctypes
    import gc

    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return _status("VmRSS")


def measured(work: Callable[[], object]) -> tuple[float, float, float]:
    """``work()`` run once: its wall and CPU seconds and its memory growth in MB."""
    base = _reset_peak()
    t, c = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return wall, cpu, (_status("VmHWM") - base) / 1024
