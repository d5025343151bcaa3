"""`dlref tui --lang`: the app starts in the language asked for, through the installed entry
point on a real pseudo-terminal; a language dlref does not speak is a usage error."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import termios
import time

from tests.test_entry_point import dlref_bin


def open_app(*args: str, home: str, wait_for: str, timeout: float = 60) -> tuple[int, str]:
    """Start the app on a 120×40 pseudo-terminal, wait until `wait_for` is drawn, quit with
    ctrl+q; (exit code, everything drawn)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "DLREF_HOME": home, "TERM": "xterm-256color"}
    env.pop("DLREF_LANG", None)
    proc = subprocess.Popen([dlref_bin(), *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, close_fds=True)
    os.close(slave)
    drawn, deadline, quit_sent = b"", time.monotonic() + timeout, False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            drawn += data
        if not quit_sent and wait_for.encode() in drawn:
            os.write(master, b"\x11")  # ctrl+q
            quit_sent = True
    else:
        proc.kill()
    os.close(master)
    return proc.wait(timeout=30), drawn.decode("utf-8", "replace")


def test_lang_option_starts_the_app_in_chinese_and_is_remembered(tmp_path):
    code, drawn = open_app("tui", "--lang", "zh", "relu", home=str(tmp_path), wait_for="测验")
    assert code == 0
    assert "卡片" in drawn and "测验" in drawn  # the tab names in Chinese
    state = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert state["lang"] == "zh" and state["card"] == "relu"


def test_lang_option_refuses_a_language_dlref_does_not_speak(tmp_path):
    result = subprocess.run([dlref_bin(), "tui", "--lang", "fr"], capture_output=True,
                            text=True, env={**os.environ, "DLREF_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "en, zh or both" in result.stderr and "Traceback" not in result.stderr
