"""Split a document's blocks into heading-aware paragraph chunks with exact raw spans."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from qa.core.records import Chunk, Document
from qa.ingest import layout
from qa.ingest.layout import Block, blocks
from qa.ingest.readers import READERS_VERSION

# Bump when the packing logic changes in a way the parameters below do not show.
ALGORITHM_VERSION = "4"
TARGET_CHARS = 300
MAX_CHARS = 450
MIN_CHARS = 80
_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)]*")
_MD_MARK = re.compile(r"^#{1,6}\s*")  # a markdown heading's `#`s are markup, not part of the section name
_INLINE_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])[^。！？；]{2,40}?[。！？；]")


@dataclass
class _Piece:
    """A display slice of one block: text plus raw offsets per char."""

    text: str
    offsets: tuple[int, ...]
    section: str
    barrier: bool
    heading: bool = False


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) display spans of sentences, ends kept with their punctuation."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _split_long(text: str, target: int, limit: int) -> list[tuple[int, int]]:
    """Pack sentences into spans near `target`; hard-split anything over `limit`."""
    units: list[tuple[int, int]] = []
    for a, b in sentences(text):
        while b - a > limit:
            cut = text.rfind("，", a + target // 2, a + limit)
            cut = cut + 1 if cut > a else a + target
            units.append((a, cut))
            a = cut
        units.append((a, b))
    spans: list[tuple[int, int]] = []
    for a, b in units:
        if spans and b - spans[-1][0] <= target:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    # A short tail reads better attached to the previous span when that stays under the limit.
    if len(spans) > 1 and spans[-1][1] - spans[-1][0] < MIN_CHARS and spans[-1][1] - spans[-2][0] <= limit:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return spans


class _Sections:
    """A heading stack: a new heading pops every heading of equal or deeper level."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []

    def push(self, level: int, text: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, _MD_MARK.sub("", text)[:60].rstrip("。；;")))

    @property
    def path(self) -> str:
        return " > ".join(text for _, text in self.stack)


def acting_headings(doc_blocks: list[Block]) -> list[bool]:
    """Which heading-like blocks open a section.

    A run of three or more heading-like lines with no text between them is a summary's slogans, labels or
    list items. The first line names the run and the last heads the text that follows; a line in between
    is a heading only where it nests the next one (一、 then （一）), otherwise it is an item of the list:
    text of the passage, not a section that would pop its siblings and head text it has nothing to do with.
    """
    acting = [bool(b.heading_level) for b in doc_blocks]
    i = 0
    while i < len(doc_blocks):
        j = i
        while j < len(doc_blocks) and doc_blocks[j].heading_level:
            j += 1
        if j - i >= 3:
            run = doc_blocks[i:j]
            for k in range(1, len(run) - 1):
                acting[i + k] = run[k].heading_level < run[k + 1].heading_level
        i = max(j, i + 1)
    return acting


def _pieces(doc_blocks: list[Block]) -> list[_Piece]:
    sections = _Sections()
    pieces: list[_Piece] = []
    for block, acting in zip(doc_blocks, acting_headings(doc_blocks), strict=True):
        if acting:
            sections.push(block.heading_level, block.text)
            pieces.append(_Piece(block.text, block.offsets, sections.path, block.after_barrier, heading=True))
            continue
        if m := _INLINE_HEADING.match(block.text):
            level = 1 if block.text[0] in "一二三四五六七八九十" else 2
            sections.push(level, m.group(0))
        for n, (a, b) in enumerate(_split_long(block.text, TARGET_CHARS, MAX_CHARS)):
            pieces.append(_Piece(block.text[a:b], block.offsets[a:b], sections.path, block.after_barrier and n == 0))
    return pieces


def _pack(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Group pieces into chunks: headings open a chunk, sizes stay near the target."""
    groups: list[list[_Piece]] = []
    for piece in pieces:
        cur = groups[-1] if groups else None
        size = sum(len(p.text) for p in cur) if cur else 0
        only_headings = cur is not None and all(p.heading for p in cur)
        fits = size + len(piece.text) <= (MAX_CHARS if size < MIN_CHARS else TARGET_CHARS)
        joinable = cur is not None and not piece.barrier and fits and (
            only_headings or (not piece.heading and cur[-1].section == piece.section) or size < MIN_CHARS
        )
        if joinable and cur is not None:
            cur.append(piece)
        else:
            groups.append([piece])
    return groups


@lru_cache(maxsize=1)
def chunker_fingerprint() -> str:
    """A hash of what shapes the chunks: sizes, heading and sentence patterns, layout rules."""
    parts = [ALGORITHM_VERSION, str(TARGET_CHARS), str(MAX_CHARS), str(MIN_CHARS), _SENTENCE_END.pattern,
             _INLINE_HEADING.pattern, _MD_MARK.pattern, READERS_VERSION, *layout.rules()]
    return "chunker-" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def make_chunk_id(doc_id: str, section: str, text: str, occurrence: int) -> str:
    """Content hash: unchanged passages keep their id (and cached vector) across re-indexing."""
    payload = f"{chunker_fingerprint()}\x00{doc_id}\x00{section}\x00{text}\x00{occurrence}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


Spans = tuple[tuple[int, int], ...]  # raw (start, end) of each piece a chunk joins with line breaks


def chunk_document(doc: Document) -> list[Chunk]:
    """All chunks of a document, in reading order."""
    return [chunk for chunk, _ in chunk_spans(doc)]


def chunk_spans(doc: Document) -> list[tuple[Chunk, Spans]]:
    """Chunks with the raw spans of their pieces, from which `layout.render` rebuilds the text."""
    chunks: list[tuple[Chunk, Spans]] = []
    seen: dict[str, int] = {}
    for group in _pack(_pieces(blocks(doc.text))):
        text = "\n".join(p.text for p in group).strip()
        if not text:
            continue
        body = next((p for p in group if not p.heading), group[0])
        section = body.section
        key = f"{section}\x00{text}"
        seen[key] = seen.get(key, -1) + 1
        chunk = Chunk(
            chunk_id=make_chunk_id(doc.doc_id, section, text, seen[key]), doc_id=doc.doc_id,
            ordinal=len(chunks), section=section, start=group[0].offsets[0], end=group[-1].offsets[-1] + 1,
            text=text,
        )
        chunks.append((chunk, tuple((p.offsets[0], p.offsets[-1] + 1) for p in group)))
    return chunks


def embedding_text(title: str, section: str, text: str) -> str:
    """What the encoder sees: title and section first, so place, year and topic count."""
    head = f"{title}｜{section}" if section else title
    return f"{head}\n{text}"


def squash(text: str) -> str:
    """Text with whitespace and markdown `*` removed: the citation-fidelity comparison form."""
    return re.sub(r"[\s*]+", "", text)
