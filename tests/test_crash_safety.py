"""Faults: kill -9 at random points of indexing, uploads, merges and the dense pass; a full disk; two writers.

Each kill is a real SIGKILL of a real process working on a real data folder; afterwards a fresh service
must load the last complete index (manifest and checksums verified) and the next write cleans up leftovers.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.core.errors import InsufficientStorage
from qa.core.service import QAService
from qa.core.settings import Settings
from qa.index import segment as segment_module
from qa.index.store import IndexStore, WriterBusy

from .conftest import REPO, SAMPLE_REPORT, SEEDS, FakeEncoder

KILLS = 3


def _reports(folder: Path, n: int, prefix: str = "r") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = SAMPLE_REPORT.replace("7个", f"{i + 3}个").replace("临安区", f"第{i}区") * 6
        (folder / f"{prefix}{i:03d}.txt").write_text(body, encoding="utf-8")
    return folder


def _script(data_dir: Path, body: str) -> list[str]:
    """A Python process that runs `body` with a service on `data_dir` (fake encoder: slow, deterministic)."""
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from qa.core.service import QAService
        from qa.core.settings import Settings
        from tests.conftest import FakeEncoder

        class Slow(FakeEncoder):
            def encode_passages(self, texts, batch_size=32, progress=False):
                time.sleep(0.02)
                return super().encode_passages(texts, batch_size, progress)

        settings = Settings(model="fake", data_dir=Path({str(data_dir)!r}), seeds_dir=Path({str(SEEDS)!r}),
                            project_root=Path({str(REPO)!r}))
        service = QAService(settings, encoder=Slow())
        print("ready", flush=True)
    """) + textwrap.dedent(body)
    return [sys.executable, "-c", code]


def _kill_during(command: list[str], rng: random.Random, low: float, high: float) -> bool:
    """Start the process, SIGKILL it after a random delay once it is ready; True if it was still running."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    time.sleep(rng.uniform(low, high))
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return alive


def _run_time(command: list[str]) -> float:
    """Seconds from "ready" to exit for an uninterrupted run: kills are timed as fractions of it, so they land
    mid-run on a fast machine as on a slow one."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    start = time.monotonic()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return time.monotonic() - start


def _check_loads(settings: Settings) -> QAService:
    service = QAService(settings, encoder=FakeEncoder())
    service.load()  # verifies the manifest and every segment's checksums
    assert service.ask("天目山竹笋").passages
    return service


def _wait_until_locked(data_dir: Path, timeout: float = 60) -> None:
    """Until another process holds the writer lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = IndexStore(data_dir)
        try:
            probe.lock()
        except WriterBusy:
            return
        probe.unlock()
        time.sleep(0.05)
    raise AssertionError("the other process never took the writer lock")


@pytest.fixture
def base(tmp_path: Path) -> Settings:
    settings = Settings(model="fake", data_dir=tmp_path / "data", seeds_dir=SEEDS, project_root=REPO)
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([SEEDS, _reports(tmp_path / "first", 2, prefix="first")])
    service.embed_pending()
    return settings


def test_kill_during_indexing_keeps_the_last_complete_index(base: Settings, tmp_path: Path) -> None:
    rng = random.Random(1)
    folder = _reports(tmp_path / "many", 80)
    body = f"service.index_paths([Path({str(folder)!r})])"
    probe = tmp_path / "probe"
    shutil.copytree(base.data_dir, probe)
    full = _run_time(_script(probe, body))
    interrupted = 0
    for _ in range(KILLS):
        before = json.loads((base.data_dir / "manifest.json").read_text(encoding="utf-8"))["generation"]
        # Each run resumes what the last one committed, so the kills together stay within 3/4 of a full run.
        interrupted += _kill_during(_script(base.data_dir, body), rng, 0.05 * full, 0.25 * full)
        after = _check_loads(base)
        assert after.snapshot.manifest.generation in (before, before + 1, before + 2)
    assert interrupted >= 2  # the kills really landed mid-run
    service = _check_loads(base)
    service.index_paths([folder])  # the next write finishes the job and collects what the kills left
    names = {s.name for s in service.snapshot.manifest.segments}
    assert {p.name for p in (base.data_dir / "segments").iterdir()} == names
    assert len(service.snapshot.documents) == 4 + 2 + 80


def test_kill_during_uploads_and_merges(base: Settings) -> None:
    rng = random.Random(2)
    uploads = """
        for i in range(40):
            service.load() if i == 0 else None
            service.add_document(f"up{i}.txt", ("2023年测试区政府工作报告\\n" + "增长%d%%。" % i * 50).encode())
    """
    merge = """
        service.load()
        for i in range(12):
            service.add_document(f"m{i}.txt", ("2023年合并区政府工作报告\\n" + "合并%d。" % i * 50).encode())
        service.optimize()
    """
    for body in (uploads, merge):
        for _ in range(KILLS):
            _kill_during(_script(base.data_dir, body), rng, 0.5, 3.0)
            _check_loads(base)
    service = _check_loads(base)
    service.optimize()
    assert {p.name for p in (base.data_dir / "segments").iterdir()} == {s.name for s in service.snapshot.manifest.segments}


def test_kill_during_the_dense_pass_loses_at_most_one_shard(base: Settings, tmp_path: Path) -> None:
    service = QAService(base, encoder=FakeEncoder())
    service.load()
    service.index_paths([_reports(tmp_path / "more", 40)])  # lexical only: passages wait for vectors
    rng = random.Random(3)
    body = """
        from qa.index import dense
        dense.SHARD_SIZE = 20
        service.load()
        print(service.snapshot.embedded, file=sys.stderr, flush=True)
        service.embed_pending(progress=lambda p: print("done", p.done, file=sys.stderr, flush=True))
    """
    for _ in range(KILLS):
        proc = subprocess.Popen(_script(base.data_dir, body), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=REPO)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.5, 2.0))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
        reported = [int(line.split()[1]) for line in err.splitlines() if line.startswith("done")]
        resumed = _check_loads(base).snapshot.embedded
        if reported:
            assert reported[-1] <= resumed <= reported[-1] + 20  # committed shards survive; the one in flight is lost
    final = _check_loads(base)
    final.embed_pending()
    assert final.snapshot.embedded == final.snapshot.alive_rows
    assert not [p for p in (base.data_dir / "vectors").rglob("*") if p.name.startswith(".")]


def test_a_full_disk_during_a_commit_leaves_the_old_index_serving(fake_service: QAService, monkeypatch) -> None:
    before = (fake_service.settings.data_dir / "manifest.json").read_bytes()
    real_save = segment_module.np.save

    def full(path, *args, **kwargs):
        if "post_rows" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(path, *args, **kwargs)

    monkeypatch.setattr(segment_module.np, "save", full)
    with pytest.raises(InsufficientStorage, match="disk .* is full.*previous index is still served"):
        fake_service.add_document("linan_2023.txt", SAMPLE_REPORT.encode())
    monkeypatch.undo()
    assert (fake_service.settings.data_dir / "manifest.json").read_bytes() == before
    assert "linan_2023" not in fake_service.snapshot.documents and fake_service.ask("腾笼换鸟").passages
    with TestClient(create_app(fake_service.settings, service=fake_service)) as client:
        monkeypatch.setattr(segment_module.np, "save", full)
        resp = client.post("/documents", files={"file": ("linan_2023.txt", SAMPLE_REPORT.encode())},
                           headers={"Authorization": "Bearer secret"})
        assert resp.status_code == 507 and resp.json()["error"]["code"] == "insufficient_storage"
    monkeypatch.undo()
    assert fake_service.add_document("linan_2023.txt", SAMPLE_REPORT.encode()).doc_id == "linan_2023"


def test_a_corrupted_index_is_refused_at_start_up_with_how_to_rebuild(fake_service: QAService) -> None:
    seg = fake_service.settings.data_dir / "segments" / fake_service.snapshot.manifest.segments[0].name
    (seg / "docs.jsonl").write_bytes((seg / "docs.jsonl").read_bytes()[:-50])
    service = QAService(fake_service.settings, encoder=FakeEncoder())
    with TestClient(create_app(service.settings, service=service)) as client:
        deadline = time.monotonic() + 20
        health = client.get("/health").json()
        while health["status"] != "error" and time.monotonic() < deadline:
            time.sleep(0.05)
            health = client.get("/health").json()
        assert health["status"] == "error" and "reportqa index --rebuild" in health["message"]
        assert "docs.jsonl does not match its checksum" in health["message"]
        assert client.get("/ask", params={"q": "杭州"}).status_code == 503


def test_two_uploads_at_once_both_land(fake_service: QAService) -> None:
    results: list[object] = []

    def upload(i: int) -> None:
        results.append(fake_service.add_document(f"twin{i}.txt", SAMPLE_REPORT.replace("7个", f"{i}个").encode()))

    threads = [threading.Thread(target=upload, args=(i,)) for i in (11, 12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and {"twin11", "twin12"} <= set(fake_service.snapshot.documents)
    again = QAService(fake_service.settings, encoder=FakeEncoder())
    again.load()
    assert {"twin11", "twin12"} <= set(again.snapshot.documents)


def test_an_upload_during_an_index_run_elsewhere_is_a_clear_409(base: Settings, tmp_path: Path) -> None:
    folder = _reports(tmp_path / "slow", 120)
    proc = subprocess.Popen(_script(base.data_dir, f"service.index_paths([Path({str(folder)!r})])\nprint('finished')"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    service = QAService(base, encoder=FakeEncoder())
    service.load()
    _wait_until_locked(base.data_dir)
    with TestClient(create_app(replace(base, api_token="secret"), service=service)) as client:
        resp = client.post("/documents", files={"file": ("during.txt", SAMPLE_REPORT.encode())},
                           headers={"Authorization": "Bearer secret"})
    out, err = proc.communicate(timeout=300)
    assert "finished" in out, err
    assert resp.status_code == 409 and "another reportqa process is writing" in resp.json()["error"]["message"]
    after = _check_loads(base)
    assert len([d for d in after.snapshot.documents if d.startswith("r")]) == 120
    assert os.path.exists(base.data_dir / "manifest.json")


def test_two_processes_embedding_one_index_take_turns(base: Settings, tmp_path: Path) -> None:
    """`reportqa index` beside `serve`: the second dense pass waits for the first (never deleting its shard in
    flight as half-written), then takes in its shards and embeds only what is left."""
    service = QAService(base, encoder=FakeEncoder())
    service.load()
    service.index_paths([_reports(tmp_path / "more", 40)])
    total = service.snapshot.alive_rows
    body = """
        from qa.index import dense
        dense.SHARD_SIZE = 20
        service.load()
        slow = service.encoder.encode_passages  # slower still: the test must see this pass hold the lock
        service.encoder.encode_passages = lambda texts, *a, **k: (time.sleep(0.3), slow(texts, *a, **k))[1]
        service.embed_pending()
        print("finished", service.snapshot.embedded, file=sys.stderr, flush=True)
    """
    proc = subprocess.Popen(_script(base.data_dir, body), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    store = service.index.vectors
    assert store is not None
    deadline = time.monotonic() + 60
    while True:  # until the other process holds the dense-pass lock
        with store.dense_pass() as turn:
            if not turn.held:
                break
        assert time.monotonic() < deadline, "the other process never started its dense pass"
        time.sleep(0.02)
    mine = service.index.embed_pending()  # blocks until the other pass ends
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"finished {total}" in err  # the other process embedded everything, undisturbed
    assert mine == 0 and service.snapshot.embedded == total  # ... and this one took its shards in
    with store.dense_pass() as turn:
        assert turn.held and not turn.waited
