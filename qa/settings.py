"""Settings from `REPORTQA_*` environment variables; nothing is read at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_MODEL = "intfloat/multilingual-e5-small"


def project_root() -> Path:
    """The checkout that holds `qa/` when run from source, else the working directory."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def resolve_model(model: str, root: Path) -> str:
    """A relative model folder is relative to the project root, wherever the command runs from."""
    if not model or Path(model).is_absolute() or model.lower() in ("none", "off", "lexical"):
        return model
    for base in (Path.cwd(), root):
        candidate = (base / model).resolve()
        if candidate.is_dir():
            return str(candidate)
    return model  # a hub id such as intfloat/multilingual-e5-small


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    data_dir: Path = field(default_factory=lambda: project_root() / ".reportqa")
    seeds_dir: Path = field(default_factory=lambda: project_root() / "seeds")
    project_root: Path = field(default_factory=project_root)
    api_token: str = ""
    max_question_chars: int = 1000
    max_upload_bytes: int = 20 * 1024 * 1024
    device: str = "cpu"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read REPORTQA_MODEL, _DATA_DIR, _SEEDS_DIR, _API_TOKEN, _MAX_QUESTION_CHARS, _MAX_UPLOAD_BYTES, _DEVICE."""
        env = os.environ
        base = cls()
        values: dict[str, object] = {
            "model": env.get("REPORTQA_MODEL", base.model),
            "data_dir": Path(env["REPORTQA_DATA_DIR"]) if env.get("REPORTQA_DATA_DIR") else base.data_dir,
            "seeds_dir": Path(env["REPORTQA_SEEDS_DIR"]) if env.get("REPORTQA_SEEDS_DIR") else base.seeds_dir,
            "api_token": env.get("REPORTQA_API_TOKEN", ""),
            "max_question_chars": int(env.get("REPORTQA_MAX_QUESTION_CHARS", base.max_question_chars)),
            "max_upload_bytes": int(env.get("REPORTQA_MAX_UPLOAD_BYTES", base.max_upload_bytes)),
            "device": env.get("REPORTQA_DEVICE", base.device),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["model"] = resolve_model(str(values["model"]), base.project_root)
        return replace(base, **values)  # type: ignore[arg-type]
