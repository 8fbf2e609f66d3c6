"""Dense side of reportqa: encoder backends and the FAISS vector index. Nothing here knows about reports."""
