"""`dlref demo`: run a live demo with knobs, for a terminal or as JSON."""

from __future__ import annotations

from typing import Any

import click

from dlref.commands.common import (
    READABLE,
    color_option,
    complete_demo,
    complete_knob,
    fail,
    find_card,
    lang_option,
    load_library,
    print_json,
    say,
    terminal_width,
    typed,
    use_color,
    wrapped,
)
from dlref.commands.helptext import command


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--set lr=0.1 --set optimizer=adam` → {"lr": "0.1", "optimizer": "adam"}."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(say("error.set-syntax", pair=pair), 2)
        out[name.strip()] = value
    return out


def with_helpers(kernels: list) -> list:
    """The kernels, each forward followed by its backward (`x_forward` → `x_backward`); where
    the fast kernel hides its idea, the plain reference form it is tested against comes first
    (dlref.nn.PLAIN_FORMS). Each function is followed by the private functions of its module it
    calls (so `--code` shows the code that runs), except argument checks (`_check…`, which only
    raise ValueError); each function once."""
    import inspect
    import sys

    from dlref.nn import PLAIN_FORMS

    shown: list = []

    def add(fn) -> None:
        fn = inspect.unwrap(fn)  # a cached helper (functools.lru_cache) shows its own code
        if fn in shown:
            return
        shown.append(fn)
        module = sys.modules[fn.__module__]
        # a class (an optimiser) calls its helpers from its methods
        codes = ([m.__code__ for m in vars(fn).values() if inspect.isfunction(m)]
                 if inspect.isclass(fn) else [fn.__code__])
        for name in (n for code in codes for n in code.co_names):
            helper = getattr(module, name, None)
            helper = inspect.unwrap(helper) if callable(helper) else helper
            if name.startswith("_") and not name.startswith("_check") \
                    and inspect.isfunction(helper) and helper.__module__ == fn.__module__:
                add(helper)

    for kernel in kernels:
        module = sys.modules[kernel.__module__]
        name = getattr(kernel, "__name__", "")
        for plain in PLAIN_FORMS.get(name, ()):
            add(getattr(module, plain))
        add(kernel)
        if name.endswith("_forward") and hasattr(module, name[:-8] + "_backward"):
            add(getattr(module, name[:-8] + "_backward"))
    return shown


@command()
@click.argument("name", required=False, shell_complete=complete_demo)
@click.option("--set", "settings", multiple=True, metavar="KNOB=VALUE",
              help="Set a knob (repeatable).", shell_complete=complete_knob)
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0),
              help="Random seed (a whole number >= 0).")
@click.option("--list", "list_demos", is_flag=True, help="List the demos and their knobs.")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.option("--code", is_flag=True, help="Print the source of the kernels the demo uses.")
@lang_option
@color_option
def demo(name: str | None, settings: tuple[str, ...], seed: int, list_demos: bool,
         as_json: bool, code: bool, lang: str, color: str) -> None:
    """Run the live demo NAME (a demo name, or any card name as `show` takes).

    \b
    Examples:
      dlref demo --list
      dlref demo gradient-descent --set lr=0.1 --set optimizer=adam
      dlref demo pooling --set kernel_size=3 --set stride=2
      dlref demo relu --code
    """
    from dlref import demos

    if list_demos or name is None:
        _list_demos(as_json, lang)
        return
    if not name.strip():  # `dlref demo ''` (an unset variable, say): not a request for the list
        fail(say("error.empty-demo"), 2)
    name = typed(name)  # not UTF-8 (a stray byte): U+FFFD, as every name lookup
    try:
        the_demo, preset = _demo_for(name)
    except SystemExit as exc:  # no such demo or card: `null` for a script, as `show --json`
        if as_json and exc.code == 1:
            print_json(None)
        raise
    try:
        values = the_demo.resolve(parse_settings(settings), preset)
    except demos.KnobError as exc:
        knobs = "\n".join(_knob_line(k, code) for k in the_demo.knobs for code in _langs(lang))
        fail(f"{exc.text(lang)}\n{say('error.demo-knobs', demo=the_demo.name)}\n{knobs}", 2)
    if code:
        import inspect

        kernels = list(the_demo.kernels)
        own = [k for k in kernels if k.__name__.startswith(name.replace("-", "_"))]
        from dlref.nn import PLAIN_FORMS

        # the fast kernel each plain form is tested against: a backward form, the backward's
        plain = {p: k.replace("_forward", "_backward") if "backward" in p else k
                 for k, forms in PLAIN_FORMS.items() for p in forms}
        functions = with_helpers(own or kernels)
        if as_json:
            print_json([{"function": f"{fn.__module__}.{fn.__name__}",
                         "plain_form_of": plain.get(fn.__name__),
                         "source": inspect.getsource(fn)} for fn in functions])
            return
        for fn in functions:
            note = say("demo.plain-form", kernel=plain[fn.__name__]) \
                if fn.__name__ in plain else ""
            click.echo(f"# {fn.__module__}.{fn.__name__}{note}\n{inspect.getsource(fn)}")
        return
    import numpy as np

    result = the_demo.run(values, np.random.default_rng(seed))
    if as_json:
        print_json({"demo": the_demo.name, "seed": seed, "knobs": values, **result.to_dict()})
        return
    from dlref.i18n import pick
    from dlref.render.result import render_result

    colored = use_color(color)
    head = ", ".join(f"{k}={_value(v)}" for k, v in values.items())
    for line in wrapped([(f"{pick(the_demo.title, lang)}  ({the_demo.name}: {head})", "title")],
                        "", "  ", colored):
        click.echo(line, color=colored)
    click.echo(render_result(result, lang, terminal_width(), colored), nl=False,
               color=colored)


def _value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _list_demos(as_json: bool, lang: str) -> None:
    from dlref import demos

    cards = load_library().cards.values()
    rows = []
    for name in demos.NAMES:
        d = demos.get(name)
        rows.append({"name": name, "title": dict(d.title),
                     "cards": [c.id for c in cards if c.demo == name],
                     "knobs": [k.describe(lang) for k in d.knobs],
                     "stepwise": d.frames is not None})
    if as_json:
        print_json(rows)
        return
    import sys

    from dlref.i18n import BOTH, pick, t
    from dlref.text.width import width_of
    from dlref.text.wrap import wrap_text

    # On a terminal each line is wrapped to its width (at most a readable one); piped, each
    # stays one line.
    width = min(terminal_width(), READABLE) if sys.stdout.isatty() else None
    punctuation = "en" if lang == BOTH else lang
    items, clauses = t("list-sep", punctuation), t("clause-sep", punctuation)
    # Below 60 columns a name column would leave too little room beside it (`negative_slop` /
    # `e`): each demo's name goes on a line of its own, the rest indented under it.
    narrow = width is not None and width < 60
    pad = "  " if narrow else " " * 19
    for row in rows:
        if narrow:
            click.echo(row["name"])
        for first, text in (
            (pad if narrow else f"{row['name']:<18} ", pick(row["title"], lang)),
            (pad + _label("demo.cards", lang), items.join(row["cards"]) or "-"),
            (pad + _label("demo.knobs", lang), clauses.join(row["knobs"])),
        ):
            for line in wrap_text(text, width, first, " " * width_of(first)):
                click.echo(line)


def _demo_for(name: str) -> tuple[Any, dict[str, Any]]:
    """The demo `name` names, directly or through a card, and the card's preset knobs; exit 1
    with a message when it names none."""
    from dlref import demos

    named = _demo_named(name, demos.NAMES)
    if named is not None:
        return demos.get(named), {}
    card = _card_for_demo(name, demos.NAMES)
    if not card.demo:
        fail(say("error.no-demo", card=card.id))
    return demos.get(card.demo), dict(card.demo_set)


def _demo_named(name: str, names: list[str]) -> str | None:
    """The demo `name` names: itself, or the only demo whose name starts with it (`sequence`
    is sequence-memory, before any card alias that starts with the same word)."""
    key = name.strip().lower()
    if key in names:
        return key
    starts = [n for n in names if n.startswith(key)] if key else []
    return starts[0] if len(starts) == 1 else None


def _card_for_demo(name: str, names: list[str]) -> Any:
    """The card `name` names (its demo runs); with no demo or card of that name, exit 1 with
    the near names of both and where the demos are listed."""
    import difflib

    from dlref.commands.common import clip
    from dlref.i18n import listed

    library = load_library()
    found = library.lookup(name)
    if found.card is not None or found.candidates or not name.strip():
        return find_card(library, name)  # its own messages: ambiguous, empty
    near = difflib.get_close_matches(name.lower(), names, n=3) + library.suggest(name)[:3]
    lines = [say("error.no-demo-or-card", name=repr(clip(name)))]
    if near:
        lines.append(say("error.did-you-mean", names=listed(dict.fromkeys(near))))
    lines.append(say("demo.list-hint"))
    fail("\n".join(lines))


def _langs(lang: str) -> tuple[str, ...]:
    from dlref.i18n import BOTH, LANGS

    return LANGS if lang == BOTH else (lang,)


def _label(key: str, lang: str) -> str:
    """A label word ("cards: ") in `lang`; for both, the two words before one colon."""
    from dlref.i18n import t

    words = [t(key, code) for code in _langs(lang)]
    if len(words) == 1:
        return words[0]
    return " / ".join(word.strip().rstrip(":：") for word in words) + ": "


def _knob_line(knob: Any, lang: str) -> str:
    """A knob's allowed values and default, one line in `lang`, for an error message."""
    from dlref.i18n import t

    shown = knob.choice_label(knob.default, lang) if knob.kind == "choice" else \
        _value(knob.default)
    default = t("knob.default", lang, value=shown)
    return f"  {knob.describe(lang)}{'' if default.startswith('（') else ' '}{default}"
