"""Wire the chat loop to a terminal: prompt_toolkit with persisted history on a TTY, plain lines when piped."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import HTML
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from rich.console import Console
from rich.markup import escape

from qa.chat.backends import ChatBackend
from qa.chat.loop import run_loop
from qa.chat.render import Renderer
from qa.chat.session import ChatSession
from qa.core.records import Health, ServiceState


def history_path() -> Path:
    """~/.local/share/reportqa/chat_history, honouring XDG_DATA_HOME."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "reportqa" / "chat_history"


def unreachable_message(url: str) -> str:
    return f"无法连接到 {url} （服务未启动？）——请先运行 `reportqa serve`，或使用 `reportqa chat --local`"


def banner(health: Health, where: str) -> str:
    parts = [where, f"{health.documents} 份报告"]
    if health.retrieval:
        parts.append(health.retrieval)
    lines = [f"[bold]reportqa chat[/] · {escape(' · '.join(parts))}",
             "[dim]直接提问，可以追问（如“那萧山呢？”）；/help 查看命令，Ctrl-D 或 /quit 退出。[/]"]
    if health.status != ServiceState.OK:
        lines.append(f"[yellow]服务状态：{escape(str(health.status))}（索引可能仍在建立，稍后再问）[/]")
    return "\n".join(lines)


def run_piped(backend: ChatBackend, top_k: int) -> int:
    """One question per stdin line, plain text out (no colour codes), exit 0 at EOF."""

    def read_line() -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line

    def write(text: str) -> None:
        print(text, flush=True)

    try:
        run_loop(read_line, write, backend, Renderer(plain=True), session=ChatSession(top_k=top_k), echo=True)
    except BrokenPipeError:  # e.g. `reportqa chat < questions.txt | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def _prompt_history() -> History:
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        return FileHistory(str(path))
    except OSError:
        return InMemoryHistory()


def run_interactive(backend: ChatBackend, health: Health, where: str, top_k: int) -> int:
    console = Console(highlight=False)
    renderer = Renderer(plain=False, width=console.width, color_system=console.color_system)
    prompt: PromptSession[str] = PromptSession(history=_prompt_history())

    def write(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def read_line() -> str:
        return prompt.prompt(HTML("<ansicyan><b>问› </b></ansicyan>"))

    write(renderer(banner(health, where)))
    run_loop(read_line, write, backend, renderer, session=ChatSession(top_k=top_k))
    write(renderer("[dim]再见。[/]"))
    return 0
