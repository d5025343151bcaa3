"""Text from a card is text: control characters made visible before anything shows them.

A card is data a learner may have been sent by someone else. Its text must never reach a
terminal as a command: an escape sequence (ESC `[2J` clears the screen, OSC 52 writes the
clipboard, OSC 0 sets the window title), a C1 control (U+009B is a one-byte CSI on some
terminals) or a Unicode bidi override (which reorders what the reader sees). `clean()` turns
each of those into a visible stand-in, once, when a card is loaded, so every front end (the CLI
in any colour mode, the app, the Anki export) receives safe text. Newline and tab are kept.

Standard library only, and no heavy imports: the renderer may apply it to any other string a
user supplied (a name typed on the command line, a file name).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # importing typing costs `dlref show` more than its lookup
if TYPE_CHECKING:
    from typing import Any

#: C0 controls except tab (09) and newline (0A), DEL, C1 controls, and the Unicode bidi
#: controls: LRM/RLM, ALM, the embeddings and overrides (U+202A–202E) and isolates (2066–2069).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_NAMES = {0x1B: "ESC", 0x07: "BEL", 0x08: "BS", 0x0D: "CR", 0x00: "NUL", 0x7F: "DEL",
          0x9B: "CSI", 0x9D: "OSC", 0x90: "DCS", 0x202E: "RIGHT-TO-LEFT OVERRIDE",
          0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
          0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
          0x2069: "POP DIRECTIONAL ISOLATE", 0x202A: "LEFT-TO-RIGHT EMBEDDING",
          0x202B: "RIGHT-TO-LEFT EMBEDDING", 0x202C: "POP DIRECTIONAL FORMATTING"}


def visible(ch: str) -> str:
    """The stand-in for one unsafe character: a C0 control's picture (ESC → ␛), ␡ for DEL,
    and U+FFFD (�) for a C1 control or a bidi control."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def describe(ch: str) -> str:
    """`U+001B (ESC)`: how `dlref check` names an unsafe character."""
    code = ord(ch)
    name = _NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def clean(text: str) -> str:
    """`text` with every unsafe character replaced by its visible stand-in."""
    if UNSAFE.search(text) is None:  # the common case: nothing to do, no new string
        return text
    return UNSAFE.sub(lambda m: visible(m.group()), text)


def clean_data(value: Any) -> Any:
    """`clean()` applied to every string (keys too) in parsed TOML data."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value


def unsafe_in(line: str) -> list[str]:
    """The distinct unsafe characters of a line, in order of first appearance."""
    return list(dict.fromkeys(UNSAFE.findall(line)))
