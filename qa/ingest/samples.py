"""Report passages to calibrate an int8 encoder on: the chunks of the reports in a folder (the seeds)."""

from __future__ import annotations

from pathlib import Path

from qa.ingest.chunking import chunk_document
from qa.ingest.decode import DocumentError
from qa.ingest.files import read_document, scan
from qa.lang.places import PlaceMatcher


def calibration_passages(folder: Path) -> list[str]:
    out: list[str] = []
    for path in scan([folder]).files if folder.is_dir() else ():
        try:
            doc = read_document(path, folder, PlaceMatcher())
        except DocumentError:
            continue
        out.extend(c.text for c in chunk_document(doc))
    return out
