"""One router per resource: ask, documents, passages, health."""
