"""`reportqa chat`: pick a backend (a running server, or the in-process service) and start the chat."""

from __future__ import annotations

import argparse
import sys

from qa.chat.backends import BackendUnavailable, ChatBackend, ChatError, LocalBackend
from qa.chat.http import DEFAULT_URL, HTTPBackend
from qa.chat.terminal import run_interactive, run_piped, unreachable_message
from qa.cli.common import load_service
from qa.core.records import Health
from qa.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ch = sub.add_parser("chat", help="chat with the reports in the terminal")
    ch.add_argument("--url", help=f"server to talk to (env REPORTQA_URL; default {DEFAULT_URL})")
    ch.add_argument("--local", action="store_true", help="answer in-process instead of calling a server")
    ch.add_argument("--top-k", type=int, default=5)
    ch.set_defaults(run=run)


def _http(url: str, settings: Settings) -> tuple[ChatBackend, Health] | None:
    backend = HTTPBackend(url, token=settings.api_token)
    try:
        return backend, backend.health()
    except BackendUnavailable:
        print(unreachable_message(url), file=sys.stderr)
    except ChatError as exc:
        print(f"{url} 的 reportqa 服务不可用：{exc.message}", file=sys.stderr)
    backend.close()
    return None


def _local(settings: Settings) -> tuple[ChatBackend, Health] | None:
    service = load_service(settings)
    return None if service is None else (LocalBackend(service), service.health())


def run(args: argparse.Namespace, settings: Settings) -> int:
    url = (args.url or settings.server_url or DEFAULT_URL).rstrip("/")
    if not 1 <= args.top_k <= 50:
        print("--top-k 必须在 1 到 50 之间", file=sys.stderr)
        return 2
    opened = _local(settings) if args.local else _http(url, settings)
    if opened is None:
        return 1
    backend, health = opened
    try:
        if sys.stdin.isatty() and sys.stdout.isatty():
            return run_interactive(backend, health, "本地（进程内）" if args.local else url, args.top_k)
        return run_piped(backend, args.top_k)
    finally:
        backend.close()
