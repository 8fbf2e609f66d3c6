"""Ingest: files -> Documents (decoding, catalog, metadata) -> layout blocks -> Chunks with exact spans."""
