"""Peak resident memory and step time of a calibmodule command (default: the README's main job).

    python benchmarks/peak_rss.py                       # fit --config configs/default.yaml
    python benchmarks/peak_rss.py -- fit --config configs/entropy_platt.yaml --trainer.max_steps=5

Runs ``python -m calibmodule <args>`` as a child process and prints its wall time, peak RSS (the
child's ``ru_maxrss``, i.e. what ``/usr/bin/time -v`` reports as "Maximum resident set size") and the
mean seconds per training step read from the ``PlainProgress`` lines it printed.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    args = argv[argv.index("--") + 1 :] if "--" in argv else ["fit", "--config", "configs/default.yaml"]
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "calibmodule", *args], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    steps = [float(s) for s in re.findall(r"\| ([0-9.]+) s/step", proc.stdout)]
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-5:])
    print(f"command: python -m calibmodule {' '.join(args)}")
    print(f"exit {proc.returncode} | wall {wall:.0f} s | peak RSS {peak_kib / 2**20:.2f} GiB | "
          f"{len(steps)} steps, mean {sum(steps[1:]) / max(len(steps) - 1, 1):.1f} s/step (first step excluded)")
    if proc.returncode:
        print(tail)
        sys.exit(proc.returncode)


if __name__ == "__main__":
    main(sys.argv[1:])
