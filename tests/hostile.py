"""The hostile-card corpus: the committed files in fixtures/hostile/, plus what git cannot hold
(a FIFO, dangling and looping symlinks, a directory named like a card, a file over the size
cap, a file name with an escape sequence), built in a temporary directory at run time."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from dlref.cards.parse import MAX_CARD_BYTES

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"

#: Bytes that must never reach a terminal from a card: C0 controls other than tab, newline (and
#: the CR of a CRLF pair is not expected either), DEL, C1 controls, bidi controls (as UTF-8).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: dlref's own colour: SGR sequences only (ESC [ digits ; m).
SGR = re.compile("\x1b\\[[0-9;]*m")


def control_in(text: str, allow_colour: bool = False) -> list[str]:
    """The control characters in output (dlref's own SGR colour codes removed if allowed)."""
    return CONTROL.findall(SGR.sub("", text) if allow_colour else text)


def build(where: Path) -> Path:
    """A directory holding every hostile card; returns it."""
    where.mkdir(parents=True, exist_ok=True)
    for path in HOSTILE.glob("*.md"):
        shutil.copyfile(path, where / path.name)
    os.mkfifo(where / "fifo.md")
    (where / "dangling.md").symlink_to(where / "nowhere" / "gone.md")
    (where / "looping.md").symlink_to("looping.md")
    (where / "a-directory.md").mkdir()
    good = (HOSTILE / "markup-lr.md").read_text()
    (where / "huge.md").write_text(good.replace("markup-lr", "huge") + "x" * MAX_CARD_BYTES)
    (where / "\x1b[2Jname.md").write_text("no front matter")
    return where


#: file name -> a piece of the one problem the loader reports for it (check may add more)
LOAD_PROBLEMS = {
    "fifo.md": "a FIFO (named pipe), not a regular file",
    "dangling.md": "broken symbolic link",
    "looping.md": "symbolic link loop",
    "a-directory.md": "a directory, not a regular file",
    "huge.md": f"over the {MAX_CARD_BYTES} byte limit",
    "latin-1.md": "not UTF-8 text",
    "deep-nesting.md": "nested too deeply",
    "toml-date.md": "a TOML date or time (1979-05-27T07:32:00+00:00)",
    "toml-time.md": "a TOML date or time (07:32:00)",
    "\x1b[2Jname.md": "missing front matter",
}

#: cards that load (their text is made safe); check still reports the first two and last two
LOADS = ["escape-body", "escape-title", "markup-lr", "markup-close", "markup-click",
         "markup-link", "with-bom", "huge-decimals", "long-vector", "bad-preset"]
