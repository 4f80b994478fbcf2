"""A browser for the attacker's benchmarks (abuse.py, hoarding.py): one
whose requests a trusted proxy says come from a network, and the form
token a page carries."""

import re

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_token(session: requests.Session, url: str) -> str:
    found = CSRF.search(session.get(url, timeout=30).text)
    return found.group(1) if found else ""


def from_network(address: str) -> requests.Session:
    """A browser whose requests the proxy says come from `address`."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    return session
