"""`python -m dlref.tui`: the app without the terminal check, for `dlref serve`.

textual-serve starts this once per browser tab, with Textual's web driver and pipes instead of
a terminal (so `dlref tui`'s "needs a terminal" check would refuse it).
"""

from __future__ import annotations

import sys


def main() -> int:
    from dlref.quiz.store import Store, StoreError
    from dlref.tui import run

    try:  # a damaged progress file is one line, not a traceback
        store = Store.open()
    except StoreError as exc:
        print(f"dlref: {exc}", file=sys.stderr)
        return 1
    run(sys.argv[1] if len(sys.argv) > 1 else None, store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
