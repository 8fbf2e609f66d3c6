"""`reportqa chat`: wire the chat loop to a backend (HTTP or in-process) and to the terminal.

Nothing heavy is imported at module level: rich, prompt_toolkit and httpx load inside functions,
and torch / sentence-transformers only on the `--local` path.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from qa.settings import Settings


def history_path() -> Path:
    """~/.local/share/reportqa/chat_history, honouring XDG_DATA_HOME."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "reportqa" / "chat_history"


def unreachable_message(url: str) -> str:
    return f"无法连接到 {url} （服务未启动？）——请先运行 `reportqa serve`，或使用 `reportqa chat --local`"


class LocalBackend:
    """The in-process QAService behind the ChatBackend protocol (same dict shapes as the API)."""

    def __init__(self, service: Any) -> None:
        self.service = service

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        from qa.errors import QAError
        from qa.http_client import ServerError

        try:
            return fn(*args, **kwargs)
        except QAError as exc:
            raise ServerError(exc.message, code=exc.code) from exc

    def health(self) -> dict:
        return self.service.health()

    def ask(self, question: str, top_k: int, filters: dict | None, history: list) -> dict:
        from qa.records import Filters, Turn

        f = filters or {}
        flt = Filters(doc_ids=tuple(f.get("doc_ids") or ()), regions=tuple(f.get("regions") or ()),
                      years=tuple(int(y) for y in f.get("years") or ()))
        turns = [t if isinstance(t, Turn) else Turn(t["question"], t.get("answer", "")) for t in history or ()]
        return self._call(self.service.ask, question, top_k=top_k, filters=flt, history=turns).to_dict()

    def documents(self) -> list[dict]:
        return self._call(self.service.documents)

    def passage(self, chunk_id: str, context: int) -> dict:
        return self._call(self.service.passage, chunk_id, context)


def _http_backend(url: str, settings: Settings) -> tuple[Any, dict] | None:
    from qa.http_client import ClientError, HTTPBackend, ServerUnavailable

    backend = HTTPBackend(url, token=settings.api_token)
    try:
        health = backend.health()
    except ServerUnavailable:
        backend.close()
        print(unreachable_message(url), file=sys.stderr)
        return None
    except ClientError as exc:
        backend.close()
        print(f"{url} 的 reportqa 服务不可用：{exc.message}", file=sys.stderr)
        return None
    return backend, health if isinstance(health, dict) else {}


def _local_backend(settings: Settings) -> tuple[Any, dict] | None:
    from qa.commands import load_service

    service = load_service(settings)
    if service is None:
        return None
    return LocalBackend(service), service.health()


def _banner(health: dict, where: str) -> str:
    from rich.markup import escape

    parts = [where]
    if health.get("documents") is not None:
        parts.append(f"{health['documents']} 份报告")
    if health.get("retrieval"):
        parts.append(str(health["retrieval"]))
    lines = [f"[bold]reportqa chat[/] · {escape(' · '.join(parts))}",
             "[dim]直接提问，可以追问（如“那萧山呢？”）；/help 查看命令，Ctrl-D 或 /quit 退出。[/]"]
    if health.get("status") not in (None, "ok"):
        lines.append(f"[yellow]服务状态：{escape(str(health['status']))}（索引可能仍在建立，稍后再问）[/]")
    return "\n".join(lines)


def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Entry point for `reportqa chat`; returns the process exit status."""
    url = (getattr(args, "url", None) or "http://127.0.0.1:8000").rstrip("/")
    top_k = int(getattr(args, "top_k", 5) or 5)
    if not 1 <= top_k <= 50:
        print("--top-k 必须在 1 到 50 之间", file=sys.stderr)
        return 2
    opened = _local_backend(settings) if getattr(args, "local", False) else _http_backend(url, settings)
    if opened is None:
        return 1
    backend, health = opened
    where = "本地（进程内）" if getattr(args, "local", False) else url
    try:
        if sys.stdin.isatty() and sys.stdout.isatty():
            return _interactive(backend, health, where, top_k)
        return _piped(backend, top_k)
    except BrokenPipeError:  # e.g. `reportqa chat < questions.txt | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        close = getattr(backend, "close", None)
        if close is not None:
            close()


def _piped(backend: Any, top_k: int) -> int:
    """One question per stdin line, plain text out (no colour codes), exit 0 at EOF."""
    from qa.chat import ChatSession, Renderer, run_loop

    def read_line() -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line

    def write(text: str) -> None:
        print(text, flush=True)

    return run_loop(read_line, write, backend, plain=True, session=ChatSession(top_k=top_k),
                    renderer=Renderer(plain=True), echo=True)


def _prompt_history() -> Any:
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        return FileHistory(str(path))
    except OSError:
        return InMemoryHistory()


def _interactive(backend: Any, health: dict, where: str, top_k: int) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import HTML
    from rich.console import Console

    from qa.chat import ChatSession, Renderer, run_loop

    console = Console(highlight=False)
    renderer = Renderer(plain=False, width=console.width, color_system=console.color_system)
    prompt = PromptSession(history=_prompt_history())

    def write(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def read_line() -> str:
        line = prompt.prompt(HTML("<ansicyan><b>问› </b></ansicyan>"))
        return line

    write(renderer(_banner(health, where)))
    session = ChatSession(top_k=top_k)  # a lexical-only warning arrives with the first answer
    status = run_loop(read_line, write, backend, plain=False, session=session, renderer=renderer)
    write(renderer("[dim]再见。[/]"))
    return status
