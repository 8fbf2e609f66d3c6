"""The dense pass on a local Ray of 2 workers (the `ray` extra): the same shards, the same resume."""

import logging
import os

import numpy as np
import pytest

from qa.core.service import QAService
from qa.core.settings import Settings
from qa.index import ray_dense
from qa.index.vectors import VectorStore
from qa.ingest.chunking import embedding_text
from tests.conftest import REPO, real_model

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def ray_local():
    if os.environ.get("CI"):
        import ray  # the README's test set-up installs the extra; CI must not skip this
    else:
        ray = pytest.importorskip("ray")
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False, configure_logging=False)  # 2 actors + Ray Data
    yield ray
    ray.shutdown()


def vector_of(snap, row: int) -> np.ndarray:
    view, local = snap.locate(row)
    assert view.has[local]
    return view.vectors[local]


def shards(service: QAService) -> list:
    store = service.index.vectors
    assert isinstance(store, VectorStore)
    return sorted(store.folder.glob("shard-*.npz"))


def test_ray_dense_pass_writes_shards_that_resume(ray_local, tmp_path, caplog) -> None:
    settings = Settings(model=real_model(), data_dir=tmp_path / "d", project_root=REPO, seeds_dir=REPO / "seeds")
    service = QAService.create(settings)
    assert service.encoder is not None, service.encoder_error
    service.ensure_index()
    total = service.snapshot.alive_rows
    assert service.snapshot.embedded == 0

    with caplog.at_level(logging.INFO, logger="reportqa"):
        assert service.embed_on_ray(2, shard_size=40) == total
    assert f"{total} passages embedded by 2 workers" in caplog.text  # both actors took shards
    assert len(shards(service)) == -(-total // 40)
    assert service.snapshot.embedded == total and service.health().retrieval == "hybrid"
    # The workers' vectors are the ones this process would compute (same backend, same prompts).
    snap = service.snapshot
    rows = list(range(0, total, 37))
    texts = [embedding_text(snap.document_of(r).title, snap.chunk(r).section, snap.chunk(r).text) for r in rows]
    mine = service.encoder.encode_passages(texts)
    theirs = np.stack([vector_of(snap, r) for r in rows])
    assert float(np.min(np.sum(mine * theirs, axis=1))) > 0.999
    assert service.embed_on_ray(2, shard_size=40) == 0  # nothing left to do

    # A run killed after some shards: a fresh process finds the others missing and embeds only those.
    lost = shards(service)[:2]
    lost_count = sum(int(np.load(p)["ids"].shape[0]) for p in lost)
    for path in lost:
        path.unlink()
        path.with_suffix(".json").unlink()
    again = QAService.create(settings)
    again.ensure_index()
    assert again.snapshot.embedded == total - lost_count
    assert again.embed_on_ray(2, shard_size=40) == lost_count
    assert again.snapshot.embedded == total


def test_a_worker_that_cannot_load_the_encoder_is_a_clear_error(ray_local, tmp_path) -> None:
    settings = Settings(model=real_model(), data_dir=tmp_path / "d", project_root=REPO, seeds_dir=REPO / "seeds")
    service = QAService.create(settings)
    service.ensure_index()
    store = service.index.vectors
    assert isinstance(store, VectorStore)
    broken = ray_dense.EncoderSpec(str(tmp_path / "no-such-model"), "torch", "cpu", None, 1)
    with pytest.raises(ray_dense.RayUnavailable, match="stopped after 0 passages"):
        ray_dense.run(store, service.snapshot, broken, 2, shard_size=40)
    assert service.snapshot.embedded == 0  # nothing half-installed; the in-process pass still works
    assert service.embed_pending() == service.snapshot.alive_rows


class _FailingRay:
    def __init__(self, exc: Exception) -> None:
        self.exc, self.calls = exc, []

    def init(self, **kwargs) -> None:
        self.calls.append(kwargs)
        raise self.exc


def test_ray_start_up_failures_are_clear_errors(monkeypatch) -> None:
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.9:6379")
    ray = _FailingRay(ConnectionError("could not reach GCS"))
    with pytest.raises(ray_dense.RayUnavailable, match=r"cluster at RAY_ADDRESS=10\.0\.0\.9:6379: ConnectionError"):
        ray_dense._connect(ray, 2)
    monkeypatch.delenv("RAY_ADDRESS")
    ray = _FailingRay(ValueError("bad resources"))
    with pytest.raises(ray_dense.RayUnavailable, match="cannot start a local Ray: ValueError: bad resources"):
        ray_dense._connect(ray, 2)
    # A private local Ray, even where another already runs on this machine; one CPU beyond the actors'.
    assert ray.calls[0]["address"] == "local" and ray.calls[0]["num_cpus"] == 3


def test_without_ray_data_the_pass_says_what_to_install(monkeypatch, tmp_path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ray.data", None)  # what a missing pyarrow or a bare `pip install ray` gives
    spec = ray_dense.EncoderSpec("m", "torch", "cpu", None, 1)
    with pytest.raises(ray_dense.RayUnavailable, match=r"pip install -e '\.\[ray\]'"):
        ray_dense.run(VectorStore(tmp_path, "m", 4), None, spec, 2)  # type: ignore[arg-type]
