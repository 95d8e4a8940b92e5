"""Face fixtures: the public-domain astronaut portrait, group photos built from it, EXIF rotation.

``tests/data/astronaut.jpg`` (licence in tests/data/LICENSES.txt) is the only photo shipped;
every other fixture is composed from it in code so the expected boxes are known exactly.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

DATA = Path(__file__).resolve().parents[1] / "data"
#: Face box (x1, y1, x2, y2) in astronaut.jpg (256x256), brow to chin, ear to ear, by eye.
ASTRONAUT_FACE = (88.0, 30.0, 138.0, 88.0)
#: The head with some context around it: what is pasted into group photos.
_HEAD_CROP = (58, 0, 168, 120)

#: Pixel transform whose inverse ``ImageOps.exif_transpose`` applies for each orientation.
_STORE_TRANSFORM: dict[int, Image.Transpose | None] = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,  # exif_transpose rotates 270 to undo it
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def astronaut() -> Image.Image:
    """The 256x256 RGB portrait."""
    with Image.open(DATA / "astronaut.jpg") as im:
        return im.convert("RGB")


def group_photo(
    size: tuple[int, int], heads: list[tuple[int, int, int]], seed: int = 0
) -> tuple[Image.Image, list[tuple[float, float, float, float]]]:
    """A textured canvas with the astronaut's head pasted at ``(x, y, face_width)`` each.

    ``(x, y)`` is the top left of the pasted head crop; ``face_width`` the wanted width of
    the face box in pixels. Returns the image and each face's box (x1, y1, x2, y2).
    """
    rng = np.random.default_rng(seed)
    # Low-contrast mottled background: flat grey would be unrealistically easy.
    noise = rng.normal(128, 18, (size[1] // 8 + 1, size[0] // 8 + 1, 3)).clip(0, 255)
    canvas = Image.fromarray(noise.astype(np.uint8)).resize(size, Image.Resampling.BICUBIC)
    head = astronaut().crop(_HEAD_CROP)
    fx1, fy1, fx2, fy2 = ASTRONAUT_FACE
    boxes = []
    for x, y, face_w in heads:
        k = face_w / (fx2 - fx1)
        scaled = head.resize(
            (max(1, round(head.width * k)), max(1, round(head.height * k))),
            Image.Resampling.LANCZOS,
        )
        canvas.paste(scaled, (x, y))
        ox, oy = _HEAD_CROP[0], _HEAD_CROP[1]
        boxes.append(
            (x + (fx1 - ox) * k, y + (fy1 - oy) * k, x + (fx2 - ox) * k, y + (fy2 - oy) * k)
        )
    return canvas, boxes


def save_with_orientation(image: Image.Image, path: Path, orientation: int) -> Path:
    """Save ``image`` (upright) as a JPEG whose pixels are stored turned, with the EXIF
    Orientation tag that turns them back: a viewer honouring EXIF shows ``image``."""
    transform = _STORE_TRANSFORM[orientation]
    stored = image if transform is None else image.transpose(transform)
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, format="JPEG", quality=92, exif=exif)
    return path


def jpeg_bytes(image: Image.Image, quality: int = 90) -> bytes:
    """``image`` encoded as a JPEG."""
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def mini_centerface_model(output_channels: dict[str, int]) -> Any:
    """A miniature of CenterFace's exported ONNX graph (needs ``onnx``).

    Like the real export: a fixed 10x3x32x32 ``input.1``, weights also listed as graph inputs,
    an unused BatchNorm counter, and one stride-4 output per ``output_channels`` entry.
    """
    from onnx import TensorProto, helper, numpy_helper

    inits, nodes, outputs = [], [], []
    inputs = [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [10, 3, 32, 32])]
    for name, ch in output_channels.items():
        weight = np.full((ch, 3, 4, 4), 0.01, np.float32)
        inits.append(numpy_helper.from_array(weight, f"w{name}"))
        inputs.append(helper.make_tensor_value_info(f"w{name}", TensorProto.FLOAT, [ch, 3, 4, 4]))
        nodes.append(helper.make_node("Conv", ["input.1", f"w{name}"], [name], strides=[4, 4]))
        outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [10, ch, 8, 8]))
    inits.append(numpy_helper.from_array(np.array(5, np.int64), "bn.num_batches_tracked"))
    inputs.append(helper.make_tensor_value_info("bn.num_batches_tracked", TensorProto.INT64, []))
    graph = helper.make_graph(nodes, "mini", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 9)])
    model.ir_version = 4
    return model
