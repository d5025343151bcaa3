"""The pager, git's way: output taller than the terminal goes through `$DLREF_PAGER`, the config
file's `pager`, `$PAGER`, else `less -FRX`; never when piped, never for output that fits.

Standard library only (no click), so the click-free card lookup (`dlref.launch`) pages exactly
as `dlref show` does.
"""

from __future__ import annotations

import os
import sys

#: The shell's exit status for a command it could not find (127) or not execute (126).
NOT_RUN = (126, 127)


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
    quit; False if it could not be started, or the shell could not find or run it (exit 127
    or 126: a mistyped $PAGER), so the caller prints the text itself instead of losing it."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git does: quit if one screen, keep colour
    env.setdefault("LV", "-c")
    # the text is UTF-8 whatever the locale: under LANG=C, or a locale not installed, less
    # would show each CJK character as <E4><B8><AD>
    env.setdefault("LESSCHARSET", "utf-8")
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
            return proc.wait() not in NOT_RUN
        except KeyboardInterrupt:  # ^C belongs to the pager, as with git
            continue
