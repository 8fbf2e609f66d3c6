"""reportqa core: documents, chunking, retrieval, answers, CLI and chat."""

__version__ = "0.1.0"
