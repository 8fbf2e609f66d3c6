"""--device: the PyTorch encoder on a GPU where there is one, and a clear reason where there is none."""

import os
import subprocess
import sys

import pytest

from embeddings.backends import load_encoder
from qa.core.settings import Settings, SettingsError
from tests.conftest import real_model


def test_cuda_loads_on_a_gpu_and_is_refused_with_a_reason_without_one() -> None:
    import torch

    encoder, reason = load_encoder(real_model(), device="cuda")
    if torch.cuda.is_available():
        assert encoder is not None and encoder.backend == "torch-cuda" and reason is None
        vecs = encoder.encode_passages(["2021年地区生产总值增长7%左右。"])
        assert vecs.shape == (1, encoder.dim)
    else:
        assert encoder is None and reason is not None
        assert "no CUDA GPU" in reason and "--device cpu" in reason


def test_device_setting_is_checked() -> None:
    assert Settings.from_env(device="CUDA:1").device == "cuda:1"
    assert Settings.from_env(device="mps").device == "mps"
    with pytest.raises(SettingsError, match="cpu, cuda, cuda:N or mps"):
        Settings.from_env(device="tpu")


def test_an_empty_device_variable_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTQA_DEVICE", "  ")
    assert Settings.from_env().device == "cpu"
    monkeypatch.setenv("REPORTQA_DEVICE", "cuda:0")
    assert Settings.from_env().device == "cuda:0"


def test_bad_device_flag_is_one_line_error(tmp_path) -> None:
    env = {**os.environ, "REPORTQA_DATA_DIR": str(tmp_path / "d")}
    out = subprocess.run([sys.executable, "-m", "qa", "--device", "gpu0", "status"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == "error: the device must be cpu, cuda, cuda:N or mps (got 'gpu0')"
