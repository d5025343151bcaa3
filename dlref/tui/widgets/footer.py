"""The footer: the keys that work on the screen showing, in the learner's language.

Every screen of the app has its own `KeyFooter`: the main screen, and each pop-up (help,
related cards, palette), whose footer covers the main one's, so the footer never offers a key
that does nothing where the learner is. A binding with an id shows the catalogue's word for it
(`app.key.<id>`), set by `label_keys`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding
from textual.dom import DOMNode
from textual.widgets import Footer

from dlref.i18n import one, t
from dlref.i18n.words import WORDS

FIRST = ("quit", "help")  # the keys (binding ids) every footer shows first, in this order


class KeysFirst:
    """A screen whose footer shows quit and help first, wherever the cursor is (README: "The
    footer always shows help and quit first"). Textual lists the focused widget's keys before
    the screen's and the app's, so after a quiz verdict `a/h/g/e Grade` came first and could
    push them off an 80-column footer. Mixed in before `Screen`."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        first = sorted((key for key, active in bindings.items() if active.binding.id in FIRST),
                       key=lambda key: FIRST.index(bindings[key].binding.id or ""))
        lang = one(self.app.lang)  # type: ignore[attr-defined]
        return {key: spoken(bindings[key], lang)
                for key in [*first, *(key for key in bindings if key not in first)]}


def textual_word(description: str, lang: str) -> str:
    """A key Textual's own widgets bind (Up, Page Left, Focus Next, Move cursor left…), as the
    catalogue says it in `lang` (`textual.key.<its English made a slug>`); unchanged in English
    or when the catalogue has no entry."""
    key = "textual.key." + re.sub(r"[^a-z0-9]+", "-", description.lower()).strip("-")
    return t(key, lang) if lang != "en" and key in WORDS else description


def spoken(active: ActiveBinding, lang: str) -> ActiveBinding:
    """A binding described in `lang`, for the footer and the palette's Keys panel: Textual's
    by `textual_word`, a widget's own with an id by its `app.key.<id>` (the app's and the
    pop-ups' are labelled so by `label_keys` already)."""
    binding = active.binding
    if not binding.description or lang == "en":
        return active
    key = f"app.key.{binding.id}"
    word = (t(key, lang) if key in WORDS else binding.description) if binding.id else \
        textual_word(binding.description, lang)
    return active if word == binding.description else active._replace(
        binding=replace(binding, description=word))


class KeyFooter(Footer):
    """Textual's footer skips redrawing while the terminal has not reported focus (tmux, a
    fresh start), which left it showing the keys of the first frame: this one always redraws."""

    hold = False  # the app redraws it itself, in the same frame as a language switch

    async def relabel(self) -> None:
        """Recompose now, as the footer itself (its keys bind data to it)."""
        from textual._context import active_message_pump

        token = active_message_pump.set(self)
        try:
            await self.recompose()
        finally:
            active_message_pump.reset(token)

    def bindings_changed(self, screen: Any) -> None:
        self._bindings_ready = True
        if self.is_attached and screen is self.screen and not self.hold:
            self.call_after_refresh(self.recompose)


def label_keys(node: DOMNode, lang: str) -> None:
    """`node`'s keys that have an id, described in `lang` (one language: the footer has room
    for one)."""
    short = one(lang)
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=t(f"app.key.{b.id}", short)) if b.id else b
            for b in bindings]


class PopUpKeys(KeysFirst):
    """A pop-up screen's keys in the footer, quit and help first, in the app's language as it
    changes (F5 works over a pop-up). The pop-up composes a `KeyFooter` and binds, with ids,
    the keys it shows: the app's own keys do not reach a modal screen's footer."""

    def on_mount(self) -> None:
        screen: Any = self
        screen.watch(screen.app, "lang", self._label_keys)

    def _label_keys(self, lang: str) -> None:
        """The keys of the pop-up and of its widgets (the related list's Enter) in `lang`."""
        screen: Any = self
        for node in (screen, *screen.query("*")):
            label_keys(node, lang)
        screen.refresh_bindings()
