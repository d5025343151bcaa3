"""`dlref serve` over HTTP: the page loads from localhost and its websocket runs the app."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main

aiohttp = pytest.importorskip("aiohttp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_process(tmp_path):
    port = free_port()
    env = {**os.environ, "DLREF_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-m", "dlref", "serve", "relu", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    proc.port = port
    yield proc
    proc.kill()
    proc.wait(10)


@pytest.fixture
def server(server_process) -> int:
    return server_process.port


async def fetch_page(port: int) -> str:
    async with aiohttp.ClientSession() as session:
        for _ in range(100):  # the server takes a moment to start
            try:
                async with session.get(f"http://localhost:{port}/") as response:
                    assert response.status == 200
                    return await response.text()
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.1)
    raise AssertionError("the server never answered")


async def run_in_browser(url: str) -> bytes:
    """What the app sends down the websocket in the first seconds, after a resize."""
    seen = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_json(["resize", {"width": 100, "height": 30}])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and b"ReLU (rectified" not in seen:
            try:
                message = await ws.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                seen += message.data.encode()
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                  aiohttp.WSMsgType.ERROR):
                break
        await ws.send_json(["stdin", "\x11"])  # ctrl+q: the app quits
    return seen


async def test_the_page_loads_and_the_websocket_runs_the_app(server):
    page = await fetch_page(server)
    assert "textual.js" in page and "dlref" in page
    url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
    assert url.startswith(f"ws://localhost:{server}/")
    seen = await run_in_browser(url)
    assert b"ReLU (rectified" in seen  # the app drew the relu card in the browser's terminal


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
async def test_an_app_ends_when_its_server_is_killed(server_process):
    port = server_process.port
    page = await fetch_page(port)
    url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_json(["resize", {"width": 80, "height": 24}])
        apps: list[int] = []
        for _ in range(100):  # the app is the server's child (the shell exec's it)
            children = Path(f"/proc/{server_process.pid}/task/{server_process.pid}/children")
            apps = [int(pid) for pid in children.read_text().split()]
            if apps:
                break
            await asyncio.sleep(0.1)
        assert apps
        server_process.kill()
        server_process.wait(10)
        for _ in range(100):
            if not any(alive(pid) for pid in apps):
                break
            await asyncio.sleep(0.1)
        assert not any(alive(pid) for pid in apps)  # no orphan left spinning


def test_an_unknown_card_is_a_message_not_a_server():
    result = CliRunner().invoke(main, ["serve", "no-such-card"])
    assert result.exit_code == 1 and "no card named 'no-such-card'" in result.output


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_taken_port_is_one_line_before_any_banner(tmp_path, host):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "dlref", "serve", "--host", host,
                               "--port", str(port)], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "DLREF_HOME": str(tmp_path)})
    assert proc.returncode == 1 and proc.stdout == ""  # no banner, no traceback
    assert proc.stderr == f"dlref: cannot listen on {host}:{port}: Address already in use\n"


def test_port_must_be_a_port():
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2


@pytest.mark.parametrize("argv", [["--port", "abc", "--lang", "zh"],
                                  ["--lang", "zh", "--port", "abc"]])
def test_a_bad_port_is_said_in_the_language_of_lang_wherever_it_is_typed(argv):
    """--lang was read after the other options, so a refused --port typed before it was
    English (DLREF_LANG in `env` is put back after the run: --lang sets it for the app)."""
    result = CliRunner().invoke(main, ["serve", *argv], env={"DLREF_LANG": "en"})
    assert result.exit_code == 2
    assert result.stderr.startswith("用法：")
    assert "错误：'--port' 的值无效：'abc' 不是有效的整数。" in result.stderr


@pytest.mark.parametrize("command", ["serve", "tui"])
def test_lang_before_help_gives_the_app_commands_help_in_chinese(command):
    result = CliRunner().invoke(main, [command, "--lang", "zh", "--help"],
                                env={"DLREF_LANG": "en"})
    assert result.exit_code == 0 and result.output.startswith("用法：")


@pytest.mark.parametrize(("lang", "said"), [("en", "cannot listen on 192.0.2.1:"),
                                            ("zh", "无法在 192.0.2.1:")])
def test_an_address_not_this_machines_is_one_line_without_the_servers_banner(tmp_path, lang,
                                                                              said):
    """textual-serve printed its logo and "Press Ctrl+C to quit" before it tried to bind, so
    the learner was invited to use a server that was never there (192.0.2.1 is reserved for
    documentation: no machine has it)."""
    proc = subprocess.run([sys.executable, "-m", "dlref", "serve", "--host", "192.0.2.1",
                           "--port", str(free_port())], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "DLREF_HOME": str(tmp_path),
                                           "DLREF_LANG": lang})
    assert proc.returncode == 1
    assert proc.stdout == ""  # no banner
    assert proc.stderr.startswith(f"dlref: {said}") and proc.stderr.count("\n") == 1
