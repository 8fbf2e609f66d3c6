"""Index: Chunks -> a persisted, versioned index (lexical BM25 plus dense vectors) behind a manifest."""
