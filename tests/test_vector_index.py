"""Vector search by size: exact below the threshold, IVF above it with high recall against exact."""

import numpy as np

from embeddings.vector_index import FLAT_MAX, VectorIndex, top_indices


def _clustered(n: int, dim: int = 64, seed: int = 0) -> np.ndarray:
    """Unit vectors around 50 centres, like passages around topics."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(50, dim))
    x = centres[rng.integers(0, 50, n)] + 0.6 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_the_rule_picks_flat_below_the_threshold() -> None:
    assert VectorIndex(np.zeros((10, 4), np.float32)).kind == "flat"
    assert FLAT_MAX >= 100_000


def test_flat_search_is_exact_and_ordered() -> None:
    x = _clustered(2000)
    index = VectorIndex(x)
    scores, ids = index.search(x[7], 10)
    assert ids[0] == 7 and np.all(np.diff(scores) <= 1e-6)
    assert set(ids.tolist()) == set(np.argsort(-(x @ x[7]))[:10].tolist())


def test_ivf_recall_against_exact_search() -> None:
    x = _clustered(20_000, seed=1)
    queries = _clustered(50, seed=2)
    exact, ivf = VectorIndex(x, kind="flat"), VectorIndex(x, kind="ivf")
    recall = np.mean([len(set(exact.search(q, 10)[1].tolist()) & set(ivf.search(q, 10)[1].tolist())) / 10
                      for q in queries])
    assert recall >= 0.95, recall


def test_top_indices_is_a_stable_partial_sort() -> None:
    scores = np.array([0.5, 0.9, 0.5, -np.inf, 0.9, 0.1], np.float32)
    # best first; among equals the lower position first, as a stable argsort of -scores would give
    assert top_indices(scores, 3).tolist() == [1, 4, 0]
    assert top_indices(scores, 4).tolist() == [1, 4, 0, 2]
    # masked (-inf) positions never come back, even when k asks for every position
    assert top_indices(scores, 10).tolist() == [1, 4, 0, 2, 5]
    assert top_indices(scores, 0).tolist() == [] and top_indices(np.zeros(0, np.float32), 5).tolist() == []
    rng = np.random.default_rng(3)
    many = rng.integers(0, 50, 5000).astype(np.float32)  # many ties
    assert top_indices(many, 100).tolist() == np.argsort(-many, kind="stable")[:100].tolist()
