"""Access tokens for the shared mailbox by the client-credentials grant
(skranke/inquiries/oauth_tokens.py), from a stand-in token endpoint on
127.0.0.1 that checks the form as Microsoft's does and answers a token, or
refuses the client."""

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import time_machine

from skranke.inquiries.oauth_tokens import (
    TokenEndpointUnreachable,
    TokenRefused,
    fetch_access_token,
    forget_access_token,
)

CLIENT_ID = "0f5e3c1a-skranke-postkasse"
# With characters the form encodes, so an echo of the form holds it changed.
SECRET = "hemmelig~Q8Q+/= æ"
SCOPE = "https://outlook.office365.com/.default"


class TokenEndpoint:
    """A token endpoint on a port of its own: a token for the right client
    id and secret, 401 with OAuth's error (echoing, carelessly, what it was
    sent) for any other; or, when `failing`, that status and no token."""

    def __init__(self) -> None:
        self.forms: list[dict[str, list[str]]] = []
        self.issued = 0
        self.expires_in: object = 3599
        self.failing: tuple[int, str, bytes] | None = None
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tenant/oauth2/v2.0/token"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                form = parse_qs(body.decode())
                with endpoint.lock:
                    endpoint.forms.append(form)
                    endpoint.issued += 1
                    number = endpoint.issued
                if endpoint.failing:
                    status, content_type, content = endpoint.failing
                    self._answer(status, content_type, content)
                elif form.get("client_id") == [CLIENT_ID] and form.get("client_secret") == [SECRET]:
                    token = {
                        "token_type": "Bearer",
                        "expires_in": endpoint.expires_in,
                        "access_token": f"eyJ0eXAi.token-{number}",
                    }
                    self._answer(200, "application/json", json.dumps(token).encode())
                else:
                    refusal = {
                        "error": "invalid_client",
                        "error_description": "AADSTS7000215: Invalid client secret provided: "
                        f"{form.get('client_secret')} in {body.decode()}",
                    }
                    self._answer(401, "application/json", json.dumps(refusal).encode())

            def _answer(self, status: int, content_type: str, content: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def endpoint() -> Iterator[TokenEndpoint]:
    server = TokenEndpoint()
    thread = threading.Thread(target=server.server.serve_forever)
    thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        thread.join()


def fetch(url: str, *, secret: str = SECRET, scope: str = SCOPE) -> str:
    return fetch_access_token(
        token_url=url, client_id=CLIENT_ID, client_secret=secret, scope=scope, timeout=10
    )


def test_it_asks_for_a_token_by_the_client_credentials_grant(endpoint: TokenEndpoint) -> None:
    assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
    assert endpoint.forms == [
        {
            "grant_type": ["client_credentials"],
            "client_id": [CLIENT_ID],
            "client_secret": [SECRET],
            "scope": [SCOPE],
        }
    ]


def test_a_token_is_kept_so_two_rounds_ask_the_endpoint_once(endpoint: TokenEndpoint) -> None:
    assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
    assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
    assert endpoint.issued == 1


def test_a_kept_token_is_replaced_a_minute_before_it_expires(endpoint: TokenEndpoint) -> None:
    endpoint.expires_in = "3600"  # some endpoints send it as a string
    with time_machine.travel(datetime(2026, 12, 7, 8, 0, tzinfo=UTC), tick=False) as traveller:
        assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
        traveller.shift(timedelta(minutes=58, seconds=59))
        assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
        traveller.shift(timedelta(seconds=2))
        assert fetch(endpoint.url) == "eyJ0eXAi.token-2"
    assert endpoint.issued == 2


def test_a_token_without_a_lifetime_is_not_kept(endpoint: TokenEndpoint) -> None:
    endpoint.expires_in = None
    assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
    assert fetch(endpoint.url) == "eyJ0eXAi.token-2"


def test_another_scope_gets_a_token_of_its_own(endpoint: TokenEndpoint) -> None:
    assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
    assert fetch(endpoint.url, scope="https://graph.microsoft.com/.default") == "eyJ0eXAi.token-2"


def test_a_forgotten_token_is_asked_for_again(endpoint: TokenEndpoint) -> None:
    assert fetch(endpoint.url) == "eyJ0eXAi.token-1"
    forget_access_token(token_url=endpoint.url, client_id=CLIENT_ID, scope=SCOPE)
    assert fetch(endpoint.url) == "eyJ0eXAi.token-2"


def test_a_refused_client_raises_token_refused_without_the_secret(
    endpoint: TokenEndpoint,
) -> None:
    wrong = "forkert~hemmelighed+/"
    with pytest.raises(TokenRefused) as refused:
        fetch(endpoint.url, secret=wrong)

    text = str(refused.value)
    assert "401" in text
    assert "invalid_client" in text
    assert "AADSTS7000215" in text
    # The endpoint echoed the secret as it was and as the form carried it.
    assert "forkert" not in text
    assert "hemmelighed" not in text
    assert refused.value.__cause__ is None
    assert refused.value.__context__ is None


def test_a_refusal_is_not_kept(endpoint: TokenEndpoint) -> None:
    with pytest.raises(TokenRefused):
        fetch(endpoint.url, secret="forkert")
    assert fetch(endpoint.url) == "eyJ0eXAi.token-2"


def test_an_endpoint_nobody_listens_on_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tenant/oauth2/v2.0/token"

    with pytest.raises(TokenEndpointUnreachable) as unreachable:
        fetch(url)

    assert f"127.0.0.1:{port}" in str(unreachable.value)
    assert "hemmelig" not in str(unreachable.value)
    # Not chained: requests' exception holds the request, and so the secret.
    assert unreachable.value.__cause__ is None
    assert unreachable.value.__suppress_context__


@pytest.mark.parametrize(
    "failing",
    [
        (503, "application/json", b'{"error": "temporarily_unavailable"}'),
        (200, "text/html", b"<html><body>Sign in to your account</body></html>"),
        (200, "application/json", b'{"token_type": "Bearer"}'),
    ],
    ids=["server error", "not json", "no token"],
)
def test_an_answer_that_is_no_token_is_unreachable(
    endpoint: TokenEndpoint, failing: tuple[int, str, bytes]
) -> None:
    endpoint.failing = failing
    with pytest.raises(TokenEndpointUnreachable):
        fetch(endpoint.url)


def test_the_secret_goes_to_no_address_but_an_https_one() -> None:
    with pytest.raises(ValueError, match="https"):
        fetch("http://login.microsoftonline.com/tenant/oauth2/v2.0/token")
    with pytest.raises(ValueError, match="https"):
        fetch("http://localhost.example.com/token")
