"""Dense side of reportqa: the sentence-transformers encoder and the FAISS vector index."""
