"""Search: retrieval (fusion, metadata), follow-ups, and the answer (answerability and extraction)."""
