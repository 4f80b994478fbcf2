"""The address a request comes from, behind the proxies this installation
trusts (TRUSTED_PROXY_COUNT), and the network that address stands for.

Limits count networks, not addresses (CLIENT_NETWORK_IPV6_PREFIX): an IPv6
home line or a rented server holds a whole /64 (2^64 addresses), so
counting addresses would let one household rotate past every limit. An
IPv4 address is scarce and counts by itself."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address a request comes from. Behind TRUSTED_PROXY_COUNT proxies
    it is the one the outermost proxy appended to X-Forwarded-For; the
    entries before it are the client's own to make up."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR")


def network_of(
    address: str | None, *, ipv4_prefix: int, ipv6_prefix: int
) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network of `address` at the given prefix lengths, or None when
    it is not an address. An IPv4 address written as IPv6 (::ffff:a.b.c.d)
    is taken as the IPv4 address it is."""
    try:
        ip = ipaddress.ip_address((address or "").strip().split("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = ipv4_prefix if ip.version == 4 else ipv6_prefix
    return ipaddress.ip_network(f"{ip}/{prefix}", strict=False)


def client_network(request: HttpRequest) -> str | None:
    """What every limit counts for a request (the booking limits, the
    challenge, the wait token, device sign-ins, the sign-in lockout): an
    IPv4 address, or the IPv6 network of CLIENT_NETWORK_IPV6_PREFIX bits,
    written as its first address ("2001:db8:1:2::"), so that it is itself
    an address where one is stored. None when the request has none."""
    network = network_of(
        client_address(request), ipv4_prefix=32, ipv6_prefix=settings.CLIENT_NETWORK_IPV6_PREFIX
    )
    return str(network.network_address) if network is not None else None
