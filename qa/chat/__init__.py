"""The terminal chat: session state, rendering, the loop, and its backends (in-process and HTTP)."""
