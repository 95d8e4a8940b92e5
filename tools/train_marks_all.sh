#!/usr/bin/env bash
# Rebuild the mark models from ../shared/marks-train, in order (`make train-marks`):
#   1. the mark CNN that ships (assets/models/marks_cnn.onnx), trained on everything;
#   2. two fold CNNs, each without one half of the photos (the two run side by side);
#   3. the tree scorer (assets/models/marks_trees.json), each training photo described by
#      the fold CNN that did not see it, with its grouped cross-validation printed;
#   4. the small-mark patch net (assets/models/marks_patch.onnx: three seeds, one graph) on
#      the same samples' small candidates, and how it joins the small trees (a stack of the
#      two, its weights and threshold), chosen by its grouped CV on out-of-fold nets (--cv);
#   5. the box-fit trees (quality in marks_trees.json) that rank the passing candidates,
#      written when grouped CV says they help.
# Deterministic on one machine; ~3 h on 2 busy cores. ../shared/marks is never read.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
nice -n 10 "$py" tools/train_marks_cnn.py
nice -n 10 "$py" tools/train_marks_folds.py --fold 0 &
nice -n 10 "$py" tools/train_marks_folds.py --fold 1
wait
nice -n 10 "$py" tools/train_marks.py
nice -n 10 "$py" tools/train_marks_patch.py --cv
nice -n 10 "$py" tools/train_marks_quality.py
