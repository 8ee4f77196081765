"""A library's portal on another origin, for browser tests: a page that frames the URL it is given (`?src=`)."""

from __future__ import annotations

import html
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit


@contextmanager
def portal_server(page: str) -> Iterator[int]:
    """Serve `page` (with `{src}` where the framed URL goes, HTML-escaped) on a free loopback port; yields the port."""

    class PortalHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            src = parse_qs(urlsplit(self.path).query).get("src", [""])[0]
            body = page.format(src=html.escape(src)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PortalHandler)
    thread = threading.Thread(target=portal.serve_forever, daemon=True)
    thread.start()
    try:
        yield portal.server_address[1]
    finally:
        portal.shutdown()
        thread.join(timeout=5)
