"""`reportqa serve`: the HTTP API (and its docs) under uvicorn, in this process."""

from __future__ import annotations

import argparse

import uvicorn

from api.app import create_app
from qa.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sv = sub.add_parser("serve", help="start the HTTP API")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    # One process on purpose: it holds the index and its write lock, and the encoder is serialised
    # anyway; request concurrency comes from the threadpool, not from extra workers.
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", access_log=False)
    return 0
