"""What counts as one network: an IPv4 address, an IPv6 /64 (or the
configured prefix), an IPv4 address written as IPv6 as the IPv4 address."""

from typing import Any

import pytest
from django.test import RequestFactory

from skranke.web.client_address import client_network


@pytest.mark.parametrize(
    ("address", "prefix", "network"),
    [
        ("192.0.2.7", 64, "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", 64, "2001:db8:1:2::"),
        ("2001:db8:1:2ff:3:4:5:6", 56, "2001:db8:1:200::"),
        ("2001:db8:1:2:3:4:5:6", 48, "2001:db8:1::"),
        ("::ffff:192.0.2.7", 64, "192.0.2.7"),
        ("fe80::1%eth0", 64, "fe80::"),
        ("not an address", 64, None),
        ("", 64, None),
    ],
)
def test_the_network_a_request_comes_from(
    settings: Any, address: str, prefix: int, network: str | None
) -> None:
    settings.CLIENT_NETWORK_IPV6_PREFIX = prefix
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    assert client_network(request) == network
