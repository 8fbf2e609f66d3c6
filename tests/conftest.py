"""Shared fixtures: the repo's seeds, a fast fake encoder, and the real model (required in CI)."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import numpy as np
import pytest

from qa.core.service import QAService
from qa.core.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


class FakeEncoder:
    """Deterministic character-bigram hashing encoder: fast, and similar texts get similar vectors."""

    name = "fake-bigram-64"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0
        self.encoded = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:], strict=False):
            h = int(hashlib.md5((a + b).encode()).hexdigest()[:8], 16)
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts])

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        return np.stack([self._vec(t) for t in texts])


SAMPLE_REPORT = (
    "2023年临安区政府工作报告\n\n"
    "一、2022年工作回顾\n\n"
    "过去一年，全区新建天目山竹笋深加工基地7个，竹产业总产值达到128亿元，同比增长9.6%。\n\n"
    "二、2023年主要任务\n\n"
    "推进青山湖科技城建设，新引进数字经济项目30个，建成城市书房15家。\n"
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now, for a real `reportqa serve`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def real_model() -> str:
    """Path of the real model; fail in CI, skip locally, when it is missing."""
    model = os.environ.get("REPORTQA_MODEL", "")
    if model and Path(model).is_dir():
        return model
    message = f"the real embedding model is required: set REPORTQA_MODEL to a local folder (got {model!r})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(model="fake", data_dir=tmp_path / "data", seeds_dir=SEEDS, project_root=REPO, api_token="secret")


@pytest.fixture
def fake_service(settings: Settings) -> QAService:
    service = QAService(settings, encoder=FakeEncoder())
    service.ensure_index()
    service.embed_pending()
    return service


@pytest.fixture
def lexical_service(settings: Settings) -> QAService:
    service = QAService(settings, encoder=None, encoder_error="no model in this test")
    service.ensure_index()
    service.embed_pending()
    return service
