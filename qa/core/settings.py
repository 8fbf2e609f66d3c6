"""Settings from `REPORTQA_*` environment variables; nothing is read at import time."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
_PERIODS = {"second": 1.0, "sec": 1.0, "s": 1.0, "minute": 60.0, "min": 60.0, "m": 60.0, "hour": 3600.0, "h": 3600.0}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


_DEVICE = re.compile(r"cpu|mps|cuda(?::\d+)?")


class SettingsError(ValueError):
    """A `REPORTQA_*` value that cannot be used; the message names the variable and an example."""


@dataclass(frozen=True)
class RateLimit:
    """At most `requests` per `per_seconds` for one client (a token bucket: bursts up to `requests`)."""

    requests: int
    per_seconds: float

    def __str__(self) -> str:
        return f"{self.requests}/{self.per_seconds:g}s"


def parse_rate_limit(text: str) -> RateLimit | None:
    """`60/minute`, `10/second`, `1000/hour`, `5/10s`; empty or `off` means no limit."""
    if not text.strip() or text.strip().lower() in ("off", "none", "0"):
        return None
    m = _RATE.match(text.lower())
    if not m or m.group(3) not in _PERIODS or int(m.group(1)) < 1:
        raise SettingsError(f"REPORTQA_RATE_LIMIT must look like 60/minute, 10/second or 1000/hour (got {text!r})")
    return RateLimit(int(m.group(1)), int(m.group(2) or 1) * _PERIODS[m.group(3)])


def _int(env: dict[str, str] | os._Environ[str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, e.g. {name}={default} (got {raw!r})") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum} (got {value})")
    return value


def _origins(raw: str) -> tuple[str, ...]:
    return tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())


def _cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def project_root() -> Path:
    """The checkout that holds `qa/` when run from source, else the working directory."""
    here = Path(__file__).resolve().parents[2]  # qa/core/settings.py -> the checkout
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
    cors_origins: tuple[str, ...] = ()  # empty: no CORS headers at all (browsers block cross-origin calls)
    rate_limit: RateLimit | None = None  # per client IP; None: unlimited
    log_questions: bool = False  # request log lines carry the question's length, and its text only if this is set
    server_url: str = ""  # where `reportqa ask` looks for a running server first (default http://127.0.0.1:8000)
    encoder: str = "auto"  # auto | torch | openvino | openvino-int8 (see embeddings/backends.py)
    model_cache: Path = field(default_factory=lambda: _cache_home() / "reportqa" / "models")  # exported models

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read the REPORTQA_* variables (see the README); raise SettingsError naming a bad one."""
        env = os.environ
        base = cls()
        values: dict[str, object] = {
            "model": env.get("REPORTQA_MODEL", base.model),
            "data_dir": Path(env["REPORTQA_DATA_DIR"]) if env.get("REPORTQA_DATA_DIR") else base.data_dir,
            "seeds_dir": Path(env["REPORTQA_SEEDS_DIR"]) if env.get("REPORTQA_SEEDS_DIR") else base.seeds_dir,
            "api_token": env.get("REPORTQA_API_TOKEN", ""),
            "max_question_chars": _int(env, "REPORTQA_MAX_QUESTION_CHARS", base.max_question_chars),
            "max_upload_bytes": _int(env, "REPORTQA_MAX_UPLOAD_BYTES", base.max_upload_bytes),
            "device": env.get("REPORTQA_DEVICE", "").strip() or base.device,  # set but empty: the default
            "cors_origins": _origins(env.get("REPORTQA_CORS_ORIGINS", "")),
            "rate_limit": parse_rate_limit(env.get("REPORTQA_RATE_LIMIT", "")),
            "log_questions": env.get("REPORTQA_LOG_QUESTIONS", "").strip().lower() in ("1", "true", "yes", "on"),
            "server_url": env.get("REPORTQA_URL", "").strip(),
            "encoder": env.get("REPORTQA_ENCODER", base.encoder).strip().lower() or base.encoder,
            "model_cache": Path(env["REPORTQA_MODEL_CACHE"]) if env.get("REPORTQA_MODEL_CACHE") else base.model_cache,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["model"] = resolve_model(str(values["model"]), base.project_root)
        if not _DEVICE.fullmatch(str(values["device"]).strip().lower()):
            raise SettingsError(f"the device must be cpu, cuda, cuda:N or mps (got {values['device']!r})")
        values["device"] = str(values["device"]).strip().lower()
        return replace(base, **values)  # type: ignore[arg-type]
