import sys

import pytest
import torch

from calibmodule.memory import release_freed_memory


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc heap behaviour")
def test_freed_heap_blocks_go_back_to_the_os():
    """Freed tensors between live ones stay resident in glibc's heap until trimmed (what kept the main job
    at 3 GiB for ~1 GiB live); release_freed_memory returns them and leaves live tensors intact."""
    del_me = torch.empty(4 * 2**20 // 4)  # freeing a 4 MiB mmapped block raises glibc's mmap threshold past 1 MiB,
    del del_me  # as the first big freed tensors of a training step do
    blocks = [torch.full((256 * 1024,), float(i)) for i in range(400)]  # 400 x 1 MiB, now from the heap
    keep = blocks[1::8]  # every 8th stays alive, pinning the heap
    del blocks
    before = _rss_mib()
    if not release_freed_memory():
        pytest.skip("not glibc")
    after = _rss_mib()
    assert before - after > 100, (before, after)  # most of the ~350 MiB freed comes back
    assert all(float(t[0]) == 1 + 8 * k and float(t[-1]) == 1 + 8 * k for k, t in enumerate(keep))



_KEEP = """
import sys, torch
from calibmodule.memory import keep_freed_memory
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
if sys.argv[1] == "keep":
    assert keep_freed_memory() and keep_freed_memory()
before = rss()
a = torch.ones(256 * 2**20 // 4)  # 256 MiB, written
assert float(a[:10].sum()) == 10
del a
print(rss() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc heap behaviour")
def test_keep_freed_memory_keeps_a_freed_big_block_for_reuse():
    """By default glibc mmaps a 256 MiB tensor and unmaps it when freed (the next step page-faults it in
    again); after keep_freed_memory() it comes from the heap and stays there for reuse."""
    import subprocess

    def kept(arg):
        out = subprocess.run([sys.executable, "-c", _KEEP, arg], capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1])

    assert kept("default") < 64 and kept("keep") > 192
