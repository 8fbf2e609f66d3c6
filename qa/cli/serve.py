"""`reportqa serve`: the HTTP API (and its docs) under uvicorn, in this process."""

from __future__ import annotations

import argparse
import logging

import uvicorn

from api.app import create_app
from api.exposure import exposure_warnings
from qa.cli.common import bounded_int
from qa.core.settings import Settings

log = logging.getLogger("reportqa.api")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sv = sub.add_parser("serve", help="start the HTTP API")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=bounded_int(1, 65535), default=8000)
    sv.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    for level, message in exposure_warnings(args.host, settings):
        log.log(level, message)
    # One process on purpose: it holds the index and its write lock, and the encoder is serialised
    # anyway; request concurrency comes from the threadpool, not from extra workers.
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", access_log=False)
    return 0
