"""The app's progress store, kept only once there is progress to keep.

Opening the app and browsing must leave no file behind: the store is opened as the CLI's
read-only commands open it (`Store.open(create=False)`: an existing file is opened, a missing
one is an empty stand-in in memory, and nothing is created), and the file is created when the
first answer is recorded. A file that another dlref created meanwhile (a quiz in the CLI) is
opened when next read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dlref.quiz.store import Store


class Progress:
    """A `Store` that becomes the real file when an answer is recorded. Every other call goes
    to the store as it stands (reads, and undo or regrade, which only follow a record)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @classmethod
    def open(cls, path: Path | str | None = None) -> Progress:
        """The store at `path` (default: the user's), created on the first answer. Raises
        StoreError as `Store.open` does."""
        return cls(Store.open(path, create=False))

    @property
    def store(self) -> Store:
        """The store as it stands: the file once it exists, else the empty stand-in."""
        if self._store.empty_stand_in and os.path.lexists(self._store.path):
            self._swap(Store.open(self._store.path, create=False))
        return self._store

    def record(self, *args: Any, **kwargs: Any) -> int:
        """`Store.record`, creating the file first if there is none yet (the stand-in keeps
        no answers). Raises StoreError when it cannot be created: nothing is recorded."""
        if self._store.empty_stand_in:
            self._swap(Store.open(self._store.path))
        return self._store.record(*args, **kwargs)

    def _swap(self, store: Store) -> None:
        self._store.close()
        self._store = store

    def __getattr__(self, name: str) -> Any:
        """Any other of `Store`'s methods and attributes, on the store as it stands."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.store, name)
