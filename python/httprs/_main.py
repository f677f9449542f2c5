"""The ``httprs`` command line client: httpx 0.28.1's ``httpx`` command, on httprs.

Same options, same output: the status line and headers of every response (redirects
included), then the body (syntax-highlighted by its Content-Type, JSON re-indented, a byte
count for binary data); ``-v`` adds the request headers; ``--download`` saves the body with a
progress bar. The exit status is 0 for a 2xx final response, 1 otherwise or on a transport
error (printed as ``ErrorName: message``).

This module imports click, rich and pygments (the ``cli`` extra), so ``httprs/__init__.py``
imports it only when ``httprs.main`` is first used: ``import httprs`` stays cheap.

httpx prints what it sees from httpcore's ``trace`` extension (connection events, the
request as sent, each response head as received). httprs's engine has no such hooks, so the
same lines are printed from the client's request/response event hooks, which fire for
every hop of a redirect or auth exchange too. Where that view differs from httpcore's, the
comments below say how.
"""

from __future__ import annotations

import json
import sys
import typing

import click
import pygments.lexer
import pygments.lexers
import pygments.util
import rich.console
import rich.markup
import rich.progress
import rich.syntax
import rich.table

from ._exceptions import RequestError
from ._httprs import URL, Client
from ._models import Request, Response

# Default ports, to name the port of a URL that gives none ("Connected to ... on port N").
_DEFAULT_PORTS = {"http": 80, "https": 443, "socks5": 1080, "socks5h": 1080}

# (flags, description) of the --help table; rich markup. The same words as httpx's.
_HELP_ROWS = [
    (
        "-m, --method [cyan]METHOD",
        "Request method, such as GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD.\n"
        "[Default: GET, or POST if a request body is included]",
    ),
    ("-p, --params [cyan]<NAME VALUE> ...", "Query parameters to include in the request URL."),
    ("-c, --content [cyan]TEXT", "Byte content to include in the request body."),
    ("-d, --data [cyan]<NAME VALUE> ...", "Form data to include in the request body."),
    ("-f, --files [cyan]<NAME FILENAME> ...", "Form files to include in the request body."),
    ("-j, --json [cyan]TEXT", "JSON data to include in the request body."),
    ("-h, --headers [cyan]<NAME VALUE> ...", "Include additional HTTP headers in the request."),
    ("--cookies [cyan]<NAME VALUE> ...", "Cookies to include in the request."),
    (
        "--auth [cyan]<USER PASS>",
        "Username and password to include in the request. Specify '-' for the password"
        " to use a password prompt. Note that using --verbose/-v will expose the"
        " Authorization header, including the password encoding in a trivially"
        " reversible format.",
    ),
    (
        "--proxy [cyan]URL",
        "Send the request via a proxy. Should be the URL giving the proxy address.",
    ),
    (
        "--timeout [cyan]FLOAT",
        "Timeout value to use for network operations, such as establishing the"
        " connection, reading some data, etc... [Default: 5.0]",
    ),
    ("--follow-redirects", "Automatically follow redirects."),
    ("--no-verify", "Disable SSL verification."),
    ("--http2", "Send the request using HTTP/2, if the remote server supports it."),
    ("--download [cyan]FILE", "Save the response content as a file, rather than displaying it."),
    ("-v, --verbose", "Verbose output. Show request as well as response."),
    ("--help", "Show this message and exit."),
]


def print_help() -> None:
    """The --help page: a rich table rather than click's own layout, as httpx has it."""
    console = rich.console.Console()
    console.print("[bold]httprs", justify="center")
    console.print()
    # httpx's tagline, kept word for word: its test_help looks for it.
    console.print("A next generation HTTP client.", justify="center")
    console.print()
    console.print("Usage: [bold]httprs[/bold] [cyan]<URL> [OPTIONS][/cyan] ", justify="left")
    console.print()
    table = rich.table.Table.grid(padding=1, pad_edge=True)
    table.add_column("Parameter", no_wrap=True, justify="left", style="bold")
    table.add_column("Description")
    for flags, description in _HELP_ROWS:
        table.add_row(flags, description)
    console.print(table)


def _latin1(value: bytes) -> str:
    # Header bytes are Latin-1 on the wire (RFC 9110); httpx decodes them as ASCII and so
    # fails on any other byte, which would hide the response it has just received.
    return value.decode("latin-1")


def format_request_head(request: Request, http2: bool) -> str:
    """The request line and headers as httpx's trace prints them (names as given; lowercase
    on HTTP/2, where the wire has them so)."""
    version = "HTTP/2" if http2 else "HTTP/1.1"
    target = _latin1(request.url.raw_path)
    lines = [f"{request.method} {target} {version}"]
    for name, value in request.headers.raw:
        lines.append(f"{_latin1(name.lower() if http2 else name)}: {_latin1(value)}")
    return "\n".join(lines)


def format_response_head(response: Response) -> str:
    """The status line and headers as received.

    httprs's engine (hyper) hands header names over lower-cased, so a name the server sent
    as ``Transfer-Encoding`` prints as ``transfer-encoding`` where httpx, which keeps the
    bytes of the wire, prints it as sent.
    """
    lines = [f"{response.http_version} {response.status_code} {response.reason_phrase}"]
    for name, value in response.headers.raw:
        lines.append(f"{_latin1(name)}: {_latin1(value)}")
    return "\n".join(lines)


def _lexer_for(response: Response) -> pygments.lexer.Lexer | None:
    """pygments' lexer for the response's media type; None when it has none (then the body
    counts as binary data, as httpx counts it)."""
    content_type = response.headers.get("Content-Type")
    if content_type is None:
        return None
    mime_type = content_type.partition(";")[0].strip()
    try:
        # typeshed leaves its `**options` untyped.
        return pygments.lexers.get_lexer_for_mimetype(mime_type)  # pyright: ignore[reportUnknownMemberType]
    except pygments.util.ClassNotFound:
        return None


def print_body(console: rich.console.Console, response: Response) -> None:
    lexer = _lexer_for(response)
    if lexer is None:
        console.print(f"<{len(response.content)} bytes of binary data>")
        return
    text = response.text
    if lexer.name.lower() == "json":
        # Re-indented for reading, as httpx does; left as sent when it does not parse.
        try:
            text = json.dumps(response.json(), indent=4)
        except ValueError:
            pass
    console.print(rich.syntax.Syntax(text, lexer, theme="ansi_dark", word_wrap=True))


class _Printer:
    """Prints each exchange from the client's event hooks.

    The request hook fires before the request is sent, the response hook once its head has
    arrived. The request is printed from the response hook (so with the HTTP version that
    was actually used, which decides the header-name case httpx shows), preceded by the
    connection lines when it was the first request to its origin: httprs's client is new
    for each command, and it keeps one pool per origin, so only such a request opened a
    connection (a server that closes connections would make that "only" an "at least").
    """

    def __init__(self, console: rich.console.Console, verbose: bool, proxy: str | None):
        self.console = console
        self.verbose = verbose
        self.proxy = URL(proxy) if proxy else None
        self.origins: set[tuple[str, str, int | None]] = set()
        self.pending: Request | None = None

    def on_request(self, request: Request) -> None:
        self.pending = request

    def on_response(self, response: Response) -> None:
        request, self.pending = self.pending, None
        if self.verbose and request is not None:
            self._print_connection(request)
            http2 = response.http_version == "HTTP/2"
            self._print_block(format_request_head(request, http2=http2))
        self._print_block(format_response_head(response))

    def _print_connection(self, request: Request) -> None:
        url = request.url
        origin = (url.scheme, url.host, url.port)
        if origin in self.origins:
            return
        self.origins.add(origin)
        # Through a proxy, the connection is to the proxy, as in httpcore's trace.
        peer = self.proxy or url
        port = peer.port or _DEFAULT_PORTS.get(peer.scheme)
        self.console.print(f"* Connecting to {peer.host!r}")
        # httpcore names the address it connected to (getpeername()); httprs does not
        # expose it, so this names the host as given: the same for an IP address, the name
        # rather than the address it resolved to otherwise.
        self.console.print(f"* Connected to {peer.host!r} on port {port}")

    def _print_block(self, http_text: str) -> None:
        self.console.print(rich.syntax.Syntax(http_text, "http", theme="ansi_dark", word_wrap=True))
        self.console.print()


def download_body(
    console: rich.console.Console, response: Response, download: typing.BinaryIO
) -> None:
    """Streams the body into the file with a progress bar (a spinner-like bar when there is
    no Content-Length to measure against)."""
    console.print()
    content_length = response.headers.get("Content-Length")
    with rich.progress.Progress(
        "[progress.description]{task.description}",
        "[progress.percentage]{task.percentage:>3.0f}%",
        rich.progress.BarColumn(bar_width=None),
        rich.progress.DownloadColumn(),
        rich.progress.TransferSpeedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(
            f"Downloading [bold]{rich.markup.escape(download.name)}",
            total=int(content_length or 0),
            start=content_length is not None,
        )
        for chunk in response.iter_bytes():
            download.write(chunk)
            # Bytes as received (before decompression), which is what Content-Length counts.
            progress.update(task, completed=response.num_bytes_downloaded)


def _parse_json(ctx: click.Context, param: click.Parameter, value: str | None) -> typing.Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise click.BadParameter("Not valid JSON") from None


def _parse_auth(
    ctx: click.Context, param: click.Parameter, value: tuple[str | None, str | None]
) -> tuple[str, str] | None:
    username, password = value
    if username is None or password is None:  # click gives both (nargs=2) or neither
        return None
    if password == "-":
        password = click.prompt("Password", hide_input=True)
    return (username, password)


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # Eager, so that `--help` works without a URL; click's own help is turned off.
    if value and not ctx.resilient_parsing:
        print_help()
        ctx.exit()


@click.command(add_help_option=False)
@click.argument("url", type=str)
@click.option(
    "--method", "-m", "method", type=str, help="Request method (default: GET, or POST with a body)."
)
@click.option("--params", "-p", "params", type=(str, str), multiple=True, help="Query parameters.")
@click.option("--content", "-c", "content", type=str, help="Byte content of the request body.")
@click.option("--data", "-d", "data", type=(str, str), multiple=True, help="Form data.")
@click.option(
    "--files", "-f", "files", type=(str, click.File(mode="rb")), multiple=True, help="Form files."
)
@click.option("--json", "-j", "json_", type=str, callback=_parse_json, help="JSON request body.")
@click.option("--headers", "-h", "headers", type=(str, str), multiple=True, help="Request headers.")
@click.option("--cookies", "cookies", type=(str, str), multiple=True, help="Request cookies.")
@click.option(
    "--auth",
    "auth",
    type=(str, str),
    default=(None, None),
    callback=_parse_auth,
    help="Username and password ('-' as the password prompts for it).",
)
@click.option("--proxy", "proxy", type=str, default=None, help="Proxy URL.")
@click.option("--timeout", "timeout", type=float, default=5.0, help="Timeout in seconds.")
@click.option("--follow-redirects", "follow_redirects", is_flag=True, help="Follow redirects.")
@click.option("--no-verify", "verify", is_flag=True, default=True, help="No TLS verification.")
@click.option("--http2", "http2", is_flag=True, help="Offer HTTP/2.")
@click.option("--download", type=click.File("wb"), help="Save the body to this file.")
@click.option("--verbose", "-v", is_flag=True, help="Show the request as well.")
@click.option(
    "--help",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_show_help,
    help="Show this message and exit.",
)
def main(
    url: str,
    method: str | None,
    params: tuple[tuple[str, str], ...],
    content: str | None,
    data: tuple[tuple[str, str], ...],
    files: tuple[tuple[str, typing.BinaryIO], ...],
    json_: typing.Any,
    headers: tuple[tuple[str, str], ...],
    cookies: tuple[tuple[str, str], ...],
    auth: tuple[str, str] | None,
    proxy: str | None,
    timeout: float,
    follow_redirects: bool,
    verify: bool,
    http2: bool,
    download: typing.BinaryIO | None,
    verbose: bool,
) -> None:
    """An HTTP command line client: sends a request and displays the response."""
    # One console for the whole command, made here because it binds to sys.stdout as it is
    # now (click's CliRunner swaps it in for the duration of a call).
    console = rich.console.Console()
    if not method:
        has_body = content is not None or data or files or json_ is not None
        method = "POST" if has_body else "GET"
    printer = _Printer(console, verbose, proxy)
    try:
        with Client(
            proxy=proxy,
            timeout=timeout,
            http2=http2,
            verify=verify,
            # On the client rather than the request: httprs warns (DeprecationWarning) about
            # per-request cookies; for a client that sends one request it is all the same.
            cookies=dict(cookies),
            event_hooks={"request": [printer.on_request], "response": [printer.on_response]},
        ) as client:
            with client.stream(
                method,
                url,
                # None rather than empty: an empty `params=` replaces the URL's own query
                # string (httpx and httprs alike), and `httprs 'http://h/?q=1'` must send it.
                params=list(params) or None,
                content=content,
                data=dict(data) or None,
                files=list(files) or None,
                json=json_,
                headers=list(headers),
                auth=auth,
                follow_redirects=follow_redirects,
            ) as response:
                if download is not None:
                    download_body(console, response, download)
                else:
                    response.read()
                    if response.content:
                        print_body(console, response)
    except RequestError as exc:
        # The message may hold brackets (URLs, reprs): escaped so rich does not take them
        # for markup.
        console.print(f"[red]{type(exc).__name__}[/red]: {rich.markup.escape(str(exc))}")
        sys.exit(1)
    sys.exit(0 if response.is_success else 1)
