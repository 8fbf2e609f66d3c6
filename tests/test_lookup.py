"""The word-embedding lookup taken out of an OpenVINO graph: the cut graph plus the numpy lookup is the graph."""

import numpy as np
import openvino as ov
import pytest
from openvino import opset13 as ops

from embeddings.lookup import GATHER, INPUT, Lookup, split

VOCAB, DIM = 50, 8


def _graph(table: str) -> ov.Model:
    """input_ids → word embeddings (in one of the stored forms) → + a position term → a small projection."""
    rng = np.random.default_rng(7)
    ids = ops.parameter([-1, -1], ov.Type.i64, name="input_ids")
    mask = ops.parameter([-1, -1], ov.Type.i64, name="attention_mask")
    if table == "int8":
        rows = ops.constant(rng.integers(-127, 128, (VOCAB, DIM)).astype(np.int8))
        scale = ops.constant(rng.uniform(0.001, 0.02, (VOCAB, 1)).astype(np.float32))
        data = ops.multiply(ops.convert(rows, ov.Type.f32), scale)
    elif table == "f16":
        data = ops.convert(ops.constant(rng.normal(size=(VOCAB, DIM)).astype(np.float16)), ov.Type.f32)
    else:
        data = ops.constant(rng.normal(size=(VOCAB, DIM)).astype(np.float32))
    gather = ops.gather(data, ops.convert(ids, ov.Type.i32), ops.constant(np.int32(0)))
    gather.set_friendly_name(f"__module.model.embeddings.{GATHER}")
    weighted = ops.multiply(gather, ops.unsqueeze(ops.convert(mask, ov.Type.f32), ops.constant(np.int64(-1))))
    out = ops.matmul(weighted, ops.constant(rng.normal(size=(DIM, 3)).astype(np.float32)), False, False)
    return ov.Model([ops.result(out)], [ids, mask], "tiny")


@pytest.mark.parametrize("table", ["int8", "f16", "f32"])
def test_the_cut_graph_with_the_numpy_lookup_computes_what_the_whole_graph_does(table: str) -> None:
    whole = _graph(table)
    cut = split(whole)
    assert cut is not None
    graph, lookup = cut
    assert (lookup.scale is not None) == (table == "int8") and lookup.dim == DIM
    assert [p.get_friendly_name() for p in graph.get_parameters()] == ["input_ids", "attention_mask", INPUT]
    assert len(whole.get_parameters()) == 2  # the caller's graph is left whole
    ids = np.array([[3, 17, 49, 0, 1]], np.int64)
    mask = np.array([[1, 1, 1, 1, 0]], np.int64)
    core, f32 = ov.Core(), {"INFERENCE_PRECISION_HINT": "f32"}  # not bf16, where the CPU has it
    want = core.compile_model(whole, "CPU", f32).infer_new_request({"input_ids": ids, "attention_mask": mask})[0]
    got = core.compile_model(graph, "CPU", f32).infer_new_request(
        {"input_ids": ids, "attention_mask": mask, INPUT: lookup(ids)})[0]
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_a_graph_without_a_known_lookup_is_left_to_run_whole() -> None:
    ids = ops.parameter([-1, -1], ov.Type.i64, name="input_ids")
    out = ops.multiply(ops.convert(ids, ov.Type.f32), ops.constant(np.float32(2.0)))
    assert split(ov.Model([ops.result(out)], [ids], "no-lookup")) is None


def test_an_int8_row_is_its_float_times_its_scale() -> None:
    lookup = Lookup(np.array([[1, -2], [127, 0]], np.int8), np.array([[0.5], [0.25]], np.float32))
    assert lookup(np.array([[1, 0]])).tolist() == [[[31.75, 0.0], [0.5, -1.0]]]
