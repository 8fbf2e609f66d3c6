"""Keep uploaded report bytes under the data folder, named by the service, never by the client's path."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

MAX_STEM_CHARS = 80  # well under every file system's 255-byte name limit, even in 3-byte UTF-8
_UNSAFE = re.compile(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+")


def upload_name(filename: str, data: bytes = b"") -> Path:
    """A safe file name for an upload: the client's last path component reduced to letters, digits, CJK,
    `_` and `-` (`../../x.txt` -> `x.txt`, `/etc/a b.txt` -> `a_b.txt`), or `upload-<sha256>` if nothing is left."""
    last = Path(filename.replace("\\", "/")).name.strip()
    suffix = Path(last).suffix.lower()
    stem = _UNSAFE.sub("_", last[: -len(suffix)] if suffix else last).strip("_")[:MAX_STEM_CHARS]
    if not re.search(r"[0-9A-Za-z\u4e00-\u9fff]", stem):
        stem = "upload-" + hashlib.sha256(data).hexdigest()[:12]
    return Path(stem + (suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""))


def store_upload(uploads: Path, name: Path, data: bytes) -> Path:
    """Write atomically into `uploads/`, so a crash never leaves a half-written report behind."""
    uploads.mkdir(parents=True, exist_ok=True)
    final = uploads / name.name
    tmp = uploads / f".{name.name}.tmp-{os.getpid()}"
    tmp.write_bytes(data)
    os.replace(tmp, final)
    return final
