#!/usr/bin/env bash
# Refresh requirements/*.lock from pyproject.toml: exact versions with every sha256 of each
# release, plus hatchling (Veil's build backend, installed with --no-build-isolation so the
# build is locked too). Run on Python 3.11, the oldest Python Veil supports, so the lock holds
# what 3.11 needs; `make test PY=python3.13` checks the newer ones.
#
# pip-tools (pip-compile) rather than uv or pylock.toml: it is plain pip underneath, so the
# lock installs with the pip every Python ships (`pip install --require-hashes`), with no
# other tool to bootstrap on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${LOCK_VENV:-.venv-lock}
[ -x "$tool/bin/pip-compile" ] || { python3.11 -m venv "$tool" && "$tool/bin/pip" install -q "pip-tools==7.7.0"; }
compile() {  # compile OUT.lock [--extra X]...
  local out=$1; shift
  # PyPI only: a machine's local wheel folders or mirrors must not leak into the lock.
  PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= "$tool/bin/pip-compile" --quiet --upgrade \
    --generate-hashes --allow-unsafe --strip-extras --build-deps-for editable \
    --no-emit-index-url --no-emit-find-links "$@" -o "requirements/$out" pyproject.toml
}
mkdir -p requirements
compile app.lock
compile test.lock --extra test
# Retraining the mark models (`make train`). torch is locked as its CPU build (PyPI's Linux
# torch is the CUDA one and pulls ~3 GB of nvidia-* wheels): from PyTorch's CPU index, or a
# local folder of its wheels (TORCH_WHEELS, e.g. a mirror) when that index is unreachable.
echo "torch==${TORCH_CPU:-2.13.0+cpu}" > requirements/.torch-cpu.txt
compile train.lock --extra train --constraint requirements/.torch-cpu.txt \
  --find-links "${TORCH_WHEELS:-https://download.pytorch.org/whl/cpu/torch/}"
rm requirements/.torch-cpu.txt
# pip-compile drops the index options; the CPU wheel is found there at install time.
sed -i '1i --extra-index-url https://download.pytorch.org/whl/cpu' requirements/train.lock
echo "locks refreshed: git diff requirements/ ; then make test"
