"""Hand freed CPU memory back to the OS between training steps.

PyTorch's CPU tensors come from ``malloc``. glibc keeps freed blocks below its mmap threshold (which
grows to 32 MB as big tensors are freed) in its heap, and fragmentation keeps most of that heap
resident: on the default preset a step that needs ~1.1 GB live left the process at 2-3 GB resident
step after step. ``malloc_trim(0)`` returns the free pages (a few ms); other C libraries are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        fn = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to do
        return None
    fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
    return fn


def release_freed_memory() -> bool:
    """Return freed heap pages to the OS (glibc); True if it could. Live tensors are untouched."""
    fn = _trim()
    if fn is None:
        return False
    fn(0)
    return True


_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_MAX = -1, -2, -4  # mallopt parameters (glibc malloc.h)


@functools.cache
def keep_freed_memory() -> bool:
    """Tell glibc (process-wide, once) to serve every block from its heap and keep freed memory there, for the
    next step to reuse: no mmap for big blocks, no trimming. By default each big tensor (a (chunk, vocabulary)
    block of logits, an activation) is mmapped, page-faulted in and unmapped again at every step. The fast
    setting on CPU (``activation_checkpointing: false``); the low-memory one trims instead. True if applied."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        fn = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    fn.argtypes, fn.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return all(fn(p, v) == 1 for p, v in ((_M_MMAP_MAX, 0), (_M_TRIM_THRESHOLD, 2**30), (_M_TOP_PAD, 2**28)))
