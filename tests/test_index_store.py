"""The segment index: manifest and checksums, atomic commits, tombstones, merges, resumable dense pass."""

import json
import threading

import numpy as np
import pytest

from qa.core.errors import Conflict, NotFound
from qa.core.service import QAService
from qa.index import dense, writer
from qa.index import manifest as manifest_module
from qa.index.manifest import ManifestMismatch
from qa.index.segment import CorruptIndex
from qa.index.store import IndexStore, WriterBusy
from qa.lang import synonyms, tokens
from qa.lang.tokens import tokenizer_fingerprint

from .conftest import SAMPLE_REPORT, FakeEncoder


def _report(tmp_path, name: str, text: str = SAMPLE_REPORT):
    folder = tmp_path / f"in-{name}"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_manifest_names_checksummed_segments_and_reloads(fake_service: QAService) -> None:
    data_dir = fake_service.settings.data_dir
    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"] == "fake-bigram-64" and manifest["dim"] == 64
    assert manifest["chunker"].startswith("chunker-") and manifest["tokenizer"].startswith("jieba-")
    docs = {d for s in manifest["segments"] for d in s["documents"]}
    assert docs == set(fake_service.snapshot.documents)
    for ref in manifest["segments"]:
        seg_meta = json.loads((data_dir / "segments" / ref["name"] / "seg.json").read_text(encoding="utf-8"))
        assert {"docs.jsonl", "terms.json", "post_rows.npy", "chunk_id.npy"} <= set(seg_meta["files"])
    reloaded = QAService(fake_service.settings, encoder=FakeEncoder())
    reloaded.load()
    snap, again = fake_service.snapshot, reloaded.snapshot
    assert [snap.chunk(r) for r in range(snap.rows)] == [again.chunk(r) for r in range(again.rows)]
    assert again.embedded == again.alive_rows == snap.alive_rows


def test_each_report_text_is_stored_once(fake_service: QAService) -> None:
    data_dir = fake_service.settings.data_dir
    hz = fake_service.document("001_9ecc862bbb333f7d").text
    passage = fake_service.snapshot.doc_chunks("001_9ecc862bbb333f7d")[10].text
    stored = b"".join(p.read_bytes() for p in (data_dir / "segments").rglob("*") if p.is_file())
    assert stored.count(hz[500:560].encode()) == 1
    assert stored.count(passage[20:60].encode()) == 1


def test_mismatched_model_is_refused_with_a_fix(fake_service: QAService) -> None:
    other = FakeEncoder()
    other.name = "some-other-model"
    with pytest.raises(ManifestMismatch) as err:
        QAService(fake_service.settings, encoder=other).load()
    assert "some-other-model" in str(err.value) and "reportqa index --rebuild" in str(err.value)


def test_a_changed_tokenizer_refuses_the_old_index(fake_service: QAService, monkeypatch) -> None:
    tokenizer_fingerprint.cache_clear()
    monkeypatch.setattr(tokens, "STOPWORDS", tokens.STOPWORDS | {"经济"})
    try:
        with pytest.raises(ManifestMismatch, match="tokenizer.*reportqa index --rebuild"):
            QAService(fake_service.settings, encoder=FakeEncoder()).load()
    finally:
        tokenizer_fingerprint.cache_clear()


def test_a_grown_synonym_table_keeps_the_index(fake_service: QAService, monkeypatch) -> None:
    # The synonym table expands questions only: a new colloquial term must not make every index unreadable.
    tokenizer_fingerprint.cache_clear()
    grown = {**synonyms.synonym_table(), "某新简称": ("某个新的全称",)}
    monkeypatch.setattr(synonyms, "synonym_table", lambda: grown)
    monkeypatch.setattr(tokens, "synonym_table", lambda: grown, raising=False)  # wherever it is looked up
    try:
        service = QAService(fake_service.settings, encoder=FakeEncoder())
        service.load()
        assert service.snapshot.manifest.tokenizer == tokenizer_fingerprint()
    finally:
        tokenizer_fingerprint.cache_clear()


def test_reindexing_reuses_segments_and_vectors(fake_service: QAService) -> None:
    encoder = FakeEncoder()
    service = QAService(fake_service.settings, encoder=encoder)
    service.load()
    before = service.snapshot.manifest
    report = service.index_paths([fake_service.settings.seeds_dir])
    assert (report.indexed, report.unchanged) == (0, 4) and encoder.encoded == 0
    assert service.snapshot.manifest == before  # nothing changed, nothing committed
    rebuilt = service.index_paths([fake_service.settings.seeds_dir], rebuild=True)
    assert rebuilt.indexed == 4 and service.snapshot.manifest.segments != before.segments
    assert service.embed_pending() == 0 and encoder.encoded == 0  # vectors are found by content
    assert service.snapshot.embedded == service.snapshot.alive_rows


def test_crash_before_the_manifest_keeps_the_previous_index(fake_service: QAService, tmp_path, monkeypatch) -> None:
    data_dir = fake_service.settings.data_dir
    before = (data_dir / "manifest.json").read_bytes()
    segments_before = set((data_dir / "segments").iterdir())

    def explode(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(manifest_module, "write_json_atomic", explode)
    with pytest.raises(OSError):
        fake_service.index_paths([_report(tmp_path, "linan_2023")])
    monkeypatch.undo()
    assert (data_dir / "manifest.json").read_bytes() == before
    assert len(set((data_dir / "segments").iterdir()) - segments_before) == 1  # written, never committed
    reloaded = QAService(fake_service.settings, encoder=FakeEncoder())
    reloaded.load()
    assert "linan_2023" not in reloaded.snapshot.documents and reloaded.ask("腾笼换鸟").passages
    reloaded.index_paths([_report(tmp_path, "other_2023", SAMPLE_REPORT.replace("临安", "富阳"))])
    assert set((data_dir / "segments").iterdir()) - segments_before == {
        data_dir / "segments" / reloaded.snapshot.manifest.segments[-1].name}  # the orphan was collected


def test_unreadable_files_are_reported_and_others_still_index(settings, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("2023年宁波市政府工作报告\n地区生产总值增长5.5%。\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    report = QAService(settings, encoder=FakeEncoder()).index_paths([folder])
    assert report.documents == 1 and report.indexed == 1
    assert len(report.errors) == 1 and "bad.txt" in report.errors[0]


def test_index_adds_by_default_and_replace_keeps_only_the_given_reports(fake_service: QAService, tmp_path) -> None:
    seeds = set(fake_service.snapshot.documents)
    report = fake_service.index_paths([_report(tmp_path, "linan_2023")])
    assert report.documents == len(seeds) + 1 and set(fake_service.snapshot.documents) == seeds | {"linan_2023"}
    assert fake_service.ask("天目山竹笋深加工基地新建了几个").passages[0].citation.doc_id == "linan_2023"
    replaced = fake_service.index_paths([_report(tmp_path, "linan_2023")], replace_all=True)
    assert (replaced.documents, replaced.removed, replaced.unchanged) == (1, 4, 1)
    assert set(fake_service.snapshot.documents) == {"linan_2023"}


def test_delete_writes_a_tombstone_and_optimize_drops_it(fake_service: QAService, tmp_path) -> None:
    fake_service.index_paths([_report(tmp_path, "linan_2023")])
    assert fake_service.embed_pending() == 1
    names = [s.name for s in fake_service.snapshot.manifest.segments]
    fake_service.delete_document("001_9ecc862bbb333f7d")
    manifest = fake_service.snapshot.manifest
    assert [s.name for s in manifest.segments] == names  # nothing rewritten
    assert ("001_9ecc862bbb333f7d" in {d for _, d in manifest.deleted})
    assert all(p.citation.doc_id != "001_9ecc862bbb333f7d" for p in fake_service.ask("杭州数字经济", top_k=10).passages)
    report = fake_service.optimize()
    manifest = fake_service.snapshot.manifest
    assert len(manifest.segments) == 1 and manifest.deleted == () and report.documents == 4
    assert fake_service.snapshot.embedded == fake_service.snapshot.alive_rows  # vectors carried through the merge


def test_optimize_removes_what_a_killed_writer_left_even_with_nothing_to_merge(fake_service: QAService) -> None:
    fake_service.optimize()  # one segment: the next optimize has nothing to merge
    segments = fake_service.settings.data_dir / "segments"
    live = {s.name for s in fake_service.snapshot.manifest.segments}
    leftover = segments / "seg-0123456789abcdef"  # a killed writer's segment, never named by a manifest
    leftover.mkdir()
    (leftover / "docs.json").write_text("[]", encoding="utf-8")
    fake_service.optimize()
    assert {p.name for p in segments.iterdir()} == live == {s.name for s in fake_service.snapshot.manifest.segments}
    assert len(fake_service.snapshot.documents) == 4


def test_small_segments_are_merged_as_uploads_arrive(fake_service: QAService) -> None:
    for i in range(writer.MAX_SMALL_SEGMENTS + 2):
        fake_service.add_document(f"up_{i}.txt", SAMPLE_REPORT.replace("7个", f"{i + 10}个").encode())
    manifest = fake_service.snapshot.manifest
    assert len(manifest.segments) <= writer.MAX_SMALL_SEGMENTS + 1
    assert len(fake_service.snapshot.documents) == 4 + writer.MAX_SMALL_SEGMENTS + 2


def test_bm25_statistics_are_global_across_segments(fake_service: QAService, tmp_path) -> None:
    fake_service.index_paths([_report(tmp_path, "linan_2023")])
    snap = fake_service.snapshot
    assert len(snap.views) >= 2
    weights = snap.idf(["数字经济", "增长", "竹笋"])
    rows, split_scores = snap.lexical(weights)
    fake_service.optimize()
    merged = fake_service.snapshot
    assert len(merged.views) == 1
    rows2, merged_scores = merged.lexical(merged.idf(["数字经济", "增长", "竹笋"]))
    by_id = {snap.chunk(int(r)).chunk_id: s for r, s in zip(rows, split_scores, strict=True)}
    by_id2 = {merged.chunk(int(r)).chunk_id: s for r, s in zip(rows2, merged_scores, strict=True)}
    assert by_id.keys() == by_id2.keys()
    assert max(abs(by_id[k] - by_id2[k]) for k in by_id) < 1e-4


def test_a_corrupted_segment_file_is_detected(fake_service: QAService) -> None:
    seg = fake_service.settings.data_dir / "segments" / fake_service.snapshot.manifest.segments[0].name
    target = seg / "post_rows.npy"
    target.write_bytes(target.read_bytes()[:-7])
    with pytest.raises(CorruptIndex, match="post_rows.npy does not match its checksum.*reportqa index --rebuild"):
        QAService(fake_service.settings, encoder=FakeEncoder()).load()


def test_a_truncated_vector_shard_is_never_used_and_is_embedded_again(fake_service: QAService) -> None:
    shard = next((fake_service.settings.data_dir / "vectors").rglob("shard-*.npz"))
    shard.write_bytes(shard.read_bytes()[:100])
    encoder = FakeEncoder()
    service = QAService(fake_service.settings, encoder=encoder)
    service.load()
    assert service.snapshot.embedded == 0 and service.retrieval_mode() == "partial"
    assert shard.with_name(shard.name + ".corrupt").exists() and not shard.exists()
    assert service.embed_pending() == service.snapshot.alive_rows == encoder.encoded


class FailingEncoder(FakeEncoder):
    """Raises on the n-th call, like a kill -9 in the middle of a shard."""

    def __init__(self, fail_on: int) -> None:
        super().__init__()
        self.fail_on = fail_on

    def encode_passages(self, texts, batch_size=32, progress=False):
        if self.calls + 1 == self.fail_on:
            self.calls += 1
            raise KeyboardInterrupt("killed (simulated)")
        return super().encode_passages(texts, batch_size, progress)


def test_dense_pass_resumes_and_loses_at_most_the_shard_in_flight(settings, monkeypatch) -> None:
    monkeypatch.setattr(dense, "SHARD_SIZE", 40)
    lexical_first = QAService(settings, encoder=FailingEncoder(fail_on=3))
    lexical_first.index_paths([settings.seeds_dir])  # lexical only: the dense pass is a separate step
    total = lexical_first.snapshot.alive_rows
    assert lexical_first.snapshot.embedded == 0 and lexical_first.retrieval_mode() == "partial"
    assert lexical_first.ask("腾笼换鸟").warnings  # honest about the partial dense index
    with pytest.raises(KeyboardInterrupt):
        lexical_first.embed_pending()
    assert lexical_first.snapshot.embedded == 2 * 40  # two shards committed, the third lost
    resumed = FakeEncoder()
    service = QAService(settings, encoder=resumed)
    service.load()
    assert service.snapshot.embedded == 80
    service.embed_pending()
    assert resumed.encoded == total - 80 and service.snapshot.embedded == total
    assert service.retrieval_mode() == "hybrid" and not service.ask("腾笼换鸟").warnings


def test_a_stop_request_ends_the_dense_pass_between_shards(settings, monkeypatch) -> None:
    monkeypatch.setattr(dense, "SHARD_SIZE", 30)
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([settings.seeds_dir])
    stop = threading.Event()
    done = service.embed_pending(progress=lambda p: p.done and stop.set(), stop=stop)
    assert done == 30 and service.snapshot.embedded == 30


def test_a_second_writer_process_gets_a_clear_conflict(fake_service: QAService) -> None:
    other = IndexStore(fake_service.settings.data_dir)
    other.lock()
    try:
        with pytest.raises(Conflict, match="another reportqa process is writing"):
            fake_service.delete_document("001_9ecc862bbb333f7d")
        with pytest.raises(WriterBusy):
            IndexStore(fake_service.settings.data_dir).lock()
    finally:
        other.unlock()
    assert "001_9ecc862bbb333f7d" in fake_service.snapshot.documents


def test_deleting_the_last_document_is_refused(settings, tmp_path) -> None:
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([_report(tmp_path, "only")])
    with pytest.raises(Conflict, match="only indexed document"):
        service.delete_document("only")
    assert set(service.snapshot.documents) == {"only"}
    with pytest.raises(NotFound):
        service.delete_document("nope")
    assert np.all(service.snapshot.views[0].alive)
