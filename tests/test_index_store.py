"""Manifest checks, atomic swaps, incremental re-indexing."""

import json

import pytest

from embeddings.manifest import ManifestMismatch
from qa import store
from qa.service import QAService
from qa.store import load_snapshot

from .conftest import FakeEncoder


def test_index_round_trips_with_a_manifest(fake_service: QAService) -> None:
    folder = store.current_folder(fake_service.settings.data_dir)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"] == "fake-bigram-64" and manifest["dim"] == 64
    assert set(manifest["documents"]) == set(fake_service.snapshot.documents)
    assert all(len(h) == 64 for h in manifest["documents"].values())
    snap = load_snapshot(fake_service.settings.data_dir)
    assert [c.chunk_id for c in snap.chunks] == [c.chunk_id for c in fake_service.snapshot.chunks]
    assert snap.vectors is not None and snap.vectors.shape == (len(snap.chunks), 64)


def test_mismatched_model_is_refused_with_a_fix(fake_service: QAService) -> None:
    other = FakeEncoder()
    other.name = "some-other-model"
    service = QAService(fake_service.settings, encoder=other)
    with pytest.raises(ManifestMismatch) as err:
        service.load()
    assert "some-other-model" in str(err.value) and "reportqa index --rebuild" in str(err.value)


def test_reindex_skips_unchanged_chunks(fake_service: QAService) -> None:
    encoder = FakeEncoder()
    service = QAService(fake_service.settings, encoder=encoder)
    service.load()
    service.index_paths([fake_service.settings.seeds_dir])
    assert encoder.encoded == 0
    service.index_paths([fake_service.settings.seeds_dir], rebuild=True)
    assert encoder.encoded == len(service.snapshot.chunks)


def test_crash_mid_index_keeps_the_previous_index(fake_service: QAService, monkeypatch) -> None:
    data_dir = fake_service.settings.data_dir
    before = store.current_folder(data_dir)

    def explode(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(store, "write_manifest", explode)
    with pytest.raises(OSError):
        fake_service.index_paths([fake_service.settings.seeds_dir], rebuild=True)
    assert store.current_folder(data_dir) == before
    reloaded = QAService(fake_service.settings, encoder=FakeEncoder())
    reloaded.load()
    assert reloaded.ask("腾笼换鸟").passages


def test_unreadable_files_are_reported_and_others_still_index(settings, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("2023年宁波市政府工作报告\n地区生产总值增长5.5%。\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    service = QAService(settings, encoder=FakeEncoder())
    report = service.index_paths([folder])
    assert report["documents"] == 1
    assert len(report["errors"]) == 1 and "bad.txt" in report["errors"][0]
