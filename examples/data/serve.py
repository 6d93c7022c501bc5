"""A small local HTTP server for a folder, so the examples download without the internet.

``serving(folder)`` serves ``folder`` read-only from a background thread on 127.0.0.1 and
yields its base URL (``http://127.0.0.1:PORT``, no trailing slash); the server stops when the
block ends. Port 0 (the default) picks a free port. Requests are not logged.

Run ``python examples/data/serve.py DIR [--port 8000]`` to serve a folder until Ctrl-C, e.g.
the output of ``generate.py``; then give the flows ``http://127.0.0.1:8000`` as their source.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import threading
from collections.abc import Iterator, Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without writing a line per request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        return


def make_server(folder: Path, port: int = 0) -> ThreadingHTTPServer:
    """A server for ``folder`` bound to ``HOST:port``; FileNotFoundError without the folder."""
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot serve {folder}: no such folder; generate it first")
    handler = functools.partial(QuietHandler, directory=str(folder))
    return ThreadingHTTPServer((HOST, port), handler)


def base_url(server: ThreadingHTTPServer) -> str:
    """``http://HOST:PORT`` of a bound server."""
    return f"http://{HOST}:{server.server_address[1]}"


@contextlib.contextmanager
def serving(folder: Path, port: int = 0) -> Iterator[str]:
    """Serve ``folder`` from a background thread while the block runs; yields the base URL."""
    server = make_server(folder, port)
    thread = threading.Thread(target=server.serve_forever, name="examples-http", daemon=True)
    thread.start()
    try:
        yield base_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the folder to serve")
    parser.add_argument("--port", type=int, default=8000, help="port (0 picks a free one)")
    args = parser.parse_args(argv)
    try:
        server = make_server(args.folder, args.port)
    except (FileNotFoundError, OSError) as error:
        parser.error(str(error))
    print(f"serving {args.folder} at {base_url(server)} (Ctrl-C stops)", flush=True)
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
