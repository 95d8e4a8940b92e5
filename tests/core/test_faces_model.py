"""The shipped face model: its checksum and licence, its graph's input, and the tool that
converts the upstream export."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from veil.core.assets import asset_path

MODEL = asset_path("models", "centerface.onnx")


def test_shipped_model_matches_models_md() -> None:
    assert MODEL is not None, "assets/models/centerface.onnx is missing"
    doc = (MODEL.parent / "MODELS.md").read_text(encoding="utf-8")
    converted = re.search(r"converted sha256 \| `([0-9a-f]{64})`", doc)
    assert converted, "MODELS.md lost its converted sha256 line"
    assert hashlib.sha256(MODEL.read_bytes()).hexdigest() == converted.group(1)
    assert (MODEL.parent / "LICENSE-centerface.txt").read_text().count("MIT License") >= 1


def test_shipped_model_has_dynamic_input_and_no_weight_inputs() -> None:
    onnx = pytest.importorskip("onnx")
    assert MODEL is not None
    graph = onnx.load(str(MODEL)).graph
    assert [i.name for i in graph.input] == ["input.1"]
    dims = graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["B", 3, "H", "W"]


def test_conversion_tool_makes_dims_dynamic_and_drops_weight_inputs() -> None:
    import importlib.util

    onnx = pytest.importorskip("onnx")
    import cv2
    import numpy as np

    from tests.factories.faces import mini_centerface_model

    tool = Path(__file__).resolve().parents[2] / "tools" / "convert_centerface.py"
    spec = importlib.util.spec_from_file_location("convert_centerface", tool)
    assert spec is not None and spec.loader is not None
    convert = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(convert)

    model = mini_centerface_model(convert.OUTPUT_CHANNELS)
    converted = convert.convert(model)
    assert [i.name for i in converted.graph.input] == ["input.1"]
    assert "bn.num_batches_tracked" not in {i.name for i in converted.graph.initializer}
    # The runtime Veil uses (OpenCV's DNN) reads it at a size other than the export's 32x32.
    net = cv2.dnn.readNetFromONNX(np.frombuffer(converted.SerializeToString(), np.uint8))
    net.setInput(np.zeros((1, 3, 64, 96), np.float32), "input.1")
    heat = net.forward("537")
    assert heat.shape == (1, 1, 16, 24)
    with pytest.raises(ValueError):  # not a CenterFace export: refuse rather than guess
        convert.convert(onnx.ModelProto())
