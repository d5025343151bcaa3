"""The Textual app: browse cards, turn the knobs of live demos, take quizzes."""


def run(card: str | None = None, store: object = None) -> None:
    """Start the app (Textual is imported only here, never by the lookup commands)."""
    from dlref.tui.app import DlrefApp

    app = DlrefApp(start_card=card, store=store)
    app.run()
    if app.return_code:  # a crash (Textual has printed its traceback): the shell must see it
        raise SystemExit(app.return_code)
