"""The word-embedding lookup, taken out of the exported graph and done in numpy.

OpenVINO's CPU plugin runs a graph compiled for one input shape about a millisecond faster per query than the
same graph with dynamic shapes (BENCHMARKS.md, "Static query widths"). A compiled model holds its own decompressed
copy of the vocabulary table (128,263 × 384 floats), so a model per width cost about 330 MB each (measured).
Taken out, the table is held once, as the graph stores it (int8 rows and a scale per row in the int8 graph), and
a row is computed the way the graph computes it: `float(row) * scale`, both in float32, so the vectors are the
graph's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

GATHER = "word_embeddings/aten::embedding/Gather"
INPUT = "word_embeds"


@dataclass(frozen=True)
class Lookup:
    table: np.ndarray  # (vocabulary, dim): float32 rows, or int8 rows with `scale`
    scale: np.ndarray | None  # (vocabulary, 1) float32, for an int8 table

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        rows = self.table[ids].astype(np.float32)
        return rows * self.scale[ids] if self.scale is not None else rows


def _constant(node: Any) -> np.ndarray | None:
    return np.array(node.get_data(), copy=True) if node.get_type_name() == "Constant" else None


def _table(node: Any) -> Lookup | None:
    """The table feeding the Gather: a constant, a converted one (f16 stored), or int8 rows times a scale."""
    kind = node.get_type_name()
    if kind == "Constant":
        data = _constant(node)
        return Lookup(data.astype(np.float32, copy=False), None) if data is not None else None
    source = [i.get_source_output().get_node() for i in node.inputs()]
    if kind == "Convert" and len(source) == 1:
        data = _constant(source[0])
        if data is not None and data.dtype in (np.float16, np.float32):
            return Lookup(data.astype(np.float32, copy=False), None)
    if kind == "Multiply" and len(source) == 2 and source[0].get_type_name() == "Convert":
        rows = _constant(source[0].input(0).get_source_output().get_node())
        scale = _constant(source[1])
        if rows is not None and rows.dtype == np.int8 and scale is not None and scale.shape == (len(rows), 1):
            return Lookup(rows, scale.astype(np.float32))
    return None


def split(model: Any) -> tuple[Any, Lookup] | None:
    """(the graph with the word embeddings as an input named `word_embeds`, the lookup), or None for a graph
    whose lookup is not one of the known forms (it then runs whole, as exported)."""
    import openvino as ov  # lazy, like every OpenVINO import: the caller already has it loaded
    from openvino import opset13

    model = model.clone()  # the caller's graph stays whole, for the passage model
    gathers = [op for op in model.get_ordered_ops()
               if op.get_type_name() == "Gather" and op.get_friendly_name().endswith(GATHER)]
    if len(gathers) != 1:
        return None
    gather = gathers[0]
    lookup = _table(gather.input(0).get_source_output().get_node())
    if lookup is None:
        return None
    embeds = opset13.parameter([-1, -1, lookup.dim], ov.Type.f32, name=INPUT)
    embeds.output(0).get_tensor().set_names({INPUT})
    for target in list(gather.output(0).get_target_inputs()):
        target.replace_source_output(embeds.output(0))
    return ov.Model(model.get_results(), [*model.get_parameters(), embeds], "e5-without-lookup"), lookup
