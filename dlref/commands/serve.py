"""`dlref serve`: the app in a web browser, through textual-serve."""

from __future__ import annotations

import os
import shlex
import sys

import click

from dlref.commands.common import (
    app_lang_option,
    clip,
    complete_card,
    config,
    fail,
    find_card,
    load_library,
    say,
)
from dlref.commands.helptext import command


def _host(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """`--host`: a host name or address, as one word of printable text that IDNA can encode.
    An empty one would listen on every interface, a control character would reach the
    terminal in textual-serve's banner, and a name IDNA refuses (a label over 63 characters,
    bytes that are not UTF-8) would end in a traceback from the resolver."""
    try:
        ok = value.isprintable() and value.split() == [value] and bool(value.encode("idna"))
    except UnicodeError:
        ok = False
    if not ok:
        raise click.BadParameter(say("serve.bad-host", host=repr(clip(value))), ctx, param)
    return value


@command()
@click.argument("name", required=False, shell_complete=complete_card)
@app_lang_option
@click.option("--host", default="localhost", show_default=True, callback=_host,
              help="Address to listen on. Only this machine can connect to localhost; "
                   "0.0.0.0 lets anyone on the network open the app.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
def serve(name: str | None, host: str, port: int) -> None:
    """Serve the app to a web browser (each browser tab runs its own app).

    \b
      dlref serve                   then open http://localhost:8000
      dlref serve relu --port 8080  start each tab on the relu card
    """
    try:
        from textual_serve.server import Server
    except ImportError:
        fail(say("serve.missing"))
    config()  # a broken config file: its one-line message here, not in each browser tab
    if name is not None:  # an unknown name is said here, as by show, not in each browser tab
        name = find_card(load_library(), name).id
    # exec: the app replaces the shell, so the server is its parent (the app ends with it)
    command = "exec " + shlex.join([sys.executable, "-m", "dlref.tui", *([name] if name else [])])
    server = Server(command, host=host, port=port, title="dlref")
    try:
        can_listen(host, port)  # before textual-serve says "Press Ctrl+C to quit"
        server.serve()
    except OSError as exc:  # the port is taken, the address is not this machine's
        import socket

        from dlref.i18n import bilingual, os_reason

        unknown = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_NONAME
        reason = bilingual("os.unknown-host") if unknown else os_reason(exc)
        fail(say("serve.cannot-listen", host=host, port=port, reason=reason))


def can_listen(host: str, port: int) -> None:
    """Raise OSError (socket.gaierror for a name that does not resolve) unless `host:port`
    can be listened on, found as asyncio's server will: every address the host resolves to
    is bound, with SO_REUSEADDR, and let go; one of a family this machine lacks is skipped,
    unless every one is. textual-serve prints its banner, "Press Ctrl+C to quit", before it
    binds, so a refused address or a taken port was said only after inviting the learner to
    use a server that was never there."""
    import errno
    import socket

    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    bound, refused = 0, None
    for family, kind, proto, _, address in dict.fromkeys(infos):
        try:
            sock = socket.socket(family, kind, proto)
        except OSError:  # a family this machine cannot open: asyncio skips it too
            continue
        with sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPV6_V6ONLY"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
                bound += 1
            except OSError as exc:
                if exc.errno != errno.EADDRNOTAVAIL:  # a taken port, a port for root only
                    raise
                refused = exc
    if not bound:
        raise refused or OSError(errno.EADDRNOTAVAIL, os.strerror(errno.EADDRNOTAVAIL))
