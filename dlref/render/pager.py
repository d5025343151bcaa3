"""The pager, git's way: output taller than the terminal goes through `$DLREF_PAGER`, the config
file's `pager`, `$PAGER`, else `less -FRX`; never when piped, never for output that fits.

Standard library only (no click), so the click-free card lookup (`dlref.launch`) pages exactly
as `dlref show` does.
"""

from __future__ import annotations

import os
import sys


def pager_command(configured: str | bool | None, no_pager: bool = False) -> str | None:
    """The pager command, or None for no pager: none with --no-pager; else `$DLREF_PAGER`, the
    config's `pager` (false: none), `$PAGER`, else `less -FRX` when installed. An empty value
    or `cat` means no pager."""
    if no_pager:
        return None
    env = os.environ
    if "DLREF_PAGER" in env:
        command: str | bool | None = env["DLREF_PAGER"]
    elif configured is not None:
        command = configured
    elif "PAGER" in env:
        command = env["PAGER"]
    else:
        import shutil

        command = "less -FRX" if shutil.which("less") else None
    if not command or not str(command).strip() or str(command).strip() == "cat":
        return None
    return str(command)


def needs_pager(text: str, rows: int) -> bool:
    """Whether `text` is for a terminal and taller than its `rows`."""
    return sys.stdout.isatty() and text.count("\n") >= rows


def run_pager(command: str, text: str) -> bool:
    """Feed `text` to `command` (a shell command line, as git runs it) and wait for it to be
    quit; False if it could not be started (then the caller prints the text itself)."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git does: quit if one screen, keep colour
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8"))
        proc.stdin.close()
    except OSError:  # `q` before the end: a closed pipe
        pass
    while True:
        try:
            proc.wait()
            return True
        except KeyboardInterrupt:  # ^C belongs to the pager, as with git
            continue
