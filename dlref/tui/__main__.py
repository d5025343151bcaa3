"""`python -m dlref.tui`: the app without the terminal check, for `dlref serve`.

textual-serve starts this once per browser tab, with Textual's web driver and pipes instead of
a terminal (so `dlref tui`'s "needs a terminal" check would refuse it).
"""

from __future__ import annotations

import os
import sys
import threading
import time


def exit_with_parent(interval: float = 1.0) -> None:
    """End this process when the server that started it is gone: Textual's web driver does
    not notice a closed pipe and kept an orphaned app spinning at half a core."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main() -> int:
    from dlref.i18n import resolve_language
    from dlref.quiz.store import Store, StoreError
    from dlref.tui import run

    exit_with_parent()
    try:  # a damaged progress file is one line, not a traceback
        store = Store.open(create=False)  # the app creates it with the first answer
    except StoreError as exc:
        print(f"dlref: {exc.text(resolve_language(None))}", file=sys.stderr)
        return 1
    run(sys.argv[1] if len(sys.argv) > 1 else None, store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
