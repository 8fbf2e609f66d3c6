"""Manifest checks, atomic swaps, incremental re-indexing."""

import json

import pytest

from qa.errors import Conflict, NotFound
from qa.index import store
from qa.index.manifest import ManifestMismatch
from qa.index.store import load_snapshot
from qa.lang import tokens
from qa.lang.tokens import tokenizer_fingerprint
from qa.service import QAService

from .conftest import SAMPLE_REPORT, FakeEncoder


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
    assert report.documents == 1
    assert len(report.errors) == 1 and "bad.txt" in report.errors[0]


def test_a_changed_tokenizer_refuses_the_old_index(fake_service: QAService, monkeypatch) -> None:
    tokenizer_fingerprint.cache_clear()
    monkeypatch.setattr(tokens, "STOPWORDS", tokens.STOPWORDS | {"经济"})
    try:
        service = QAService(fake_service.settings, encoder=FakeEncoder())
        with pytest.raises(ManifestMismatch) as err:
            service.load()
        assert "tokenizer" in str(err.value) and "reportqa index --rebuild" in str(err.value)
    finally:
        tokenizer_fingerprint.cache_clear()


def test_index_add_keeps_the_other_reports(settings, tmp_path) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "linan_2023.txt").write_text(SAMPLE_REPORT, encoding="utf-8")
    service = QAService(settings, encoder=FakeEncoder())
    service.ensure_index()
    seeds = set(service.snapshot.documents)
    report = service.index_paths([folder], add=True)
    assert report.documents == len(seeds) + 1 and set(service.snapshot.documents) == seeds | {"linan_2023"}
    assert service.ask("天目山竹笋深加工基地新建了几个").passages[0].citation.doc_id == "linan_2023"
    replaced = service.index_paths([folder])
    assert replaced.documents == 1 and set(service.snapshot.documents) == {"linan_2023"}


def test_old_versions_are_pruned_and_current_is_kept(fake_service: QAService) -> None:
    data_dir = fake_service.settings.data_dir
    for _ in range(4):
        fake_service.index_paths([fake_service.settings.seeds_dir], rebuild=True)
    versions = sorted(p.name for p in (data_dir / "versions").iterdir())
    assert len(versions) == store.KEEP_VERSIONS
    assert store.current_folder(data_dir).name in versions
    assert not [p for p in (data_dir / "versions").iterdir() if p.name.startswith(".tmp-")]


def test_deleting_the_last_document_is_refused(settings, tmp_path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "only.txt").write_text(SAMPLE_REPORT, encoding="utf-8")
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([folder])
    with pytest.raises(Conflict, match="only indexed document"):
        service.delete_document("only")
    assert set(service.snapshot.documents) == {"only"}
    with pytest.raises(NotFound):
        service.delete_document("nope")
