"""A tiny CAS 2.0 server on a loopback port for the tests: /login signs the patron in (as the user the test chose)
and sends them back to the service with a ticket; /serviceValidate answers the CAS 2.0 XML, each ticket once."""

from __future__ import annotations

import http.server
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

import pytest

SUCCESS = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess><cas:user>{user}</cas:user></cas:authenticationSuccess>
</cas:serviceResponse>"""
FAILURE = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationFailure code="{code}">{message}</cas:authenticationFailure>
</cas:serviceResponse>"""


@dataclass
class CasServer:
    url: str
    user: str = "lecteur-0042"
    tickets: dict[str, tuple[str, str]] = field(default_factory=dict)  # ticket -> (service, user)
    validations: list[str] = field(default_factory=list)


def _handler(server: CasServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            if parts.path == "/cas/login":
                ticket = f"ST-{secrets.token_hex(12)}"
                server.tickets[ticket] = (query.get("service", ""), server.user)
                service = query.get("service", "")
                location = service + ("&" if "?" in service else "?") + urlencode({"ticket": ticket})
                self.send_response(302)
                self.send_header("Location", location)
                self.end_headers()
                return
            if parts.path == "/cas/serviceValidate":
                ticket, service = query.get("ticket", ""), query.get("service", "")
                server.validations.append(ticket)
                issued = server.tickets.pop(ticket, None)
                if issued is None:
                    body = FAILURE.format(code="INVALID_TICKET", message=f"Ticket {escape(ticket)} not recognized")
                elif issued[0] != service:
                    body = FAILURE.format(code="INVALID_SERVICE", message="Service mismatch")
                else:
                    body = SUCCESS.format(user=escape(issued[1]))
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            self.send_response(404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's signature
            return

    return Handler


@pytest.fixture(scope="session")
def cas_server_process() -> Iterator[CasServer]:
    state = CasServer(url="")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/cas"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def cas_server(cas_server_process: CasServer) -> CasServer:
    cas_server_process.user = "lecteur-0042"
    cas_server_process.tickets.clear()
    cas_server_process.validations.clear()
    return cas_server_process
