"""Keep uploaded report bytes under the data folder, named by the service, never by the client's path."""

from __future__ import annotations

import os
from pathlib import Path


def upload_name(filename: str) -> Path:
    """The client's file name reduced to its last component (`../../x.txt` -> `x.txt`)."""
    name = Path(filename.replace("\\", "/")).name.strip()
    return Path(name or "upload.txt")


def store_upload(uploads: Path, name: Path, data: bytes) -> Path:
    """Write atomically into `uploads/`, so a crash never leaves a half-written report behind."""
    uploads.mkdir(parents=True, exist_ok=True)
    final = uploads / name.name
    tmp = uploads / f".{name.name}.tmp-{os.getpid()}"
    tmp.write_bytes(data)
    os.replace(tmp, final)
    return final
