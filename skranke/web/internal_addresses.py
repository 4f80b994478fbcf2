"""Whether an address that staff typed leads back into the machine or its
network. The app server fetches what an administrator sets up (a single
sign-on provider's endpoints, posting its client secret there): pointed at
localhost, a cloud's metadata address or a host on the internal network,
it would be a way in for whoever may edit that set-up (server-side request
forgery)."""

import ipaddress
import socket


def is_internal_host(host: str) -> bool:
    """Whether `host` (a name or an address) is, or resolves to, a loopback,
    link-local, private, reserved or unspecified address. A name that does
    not resolve is not internal: the fetch itself will fail."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False
        addresses = [ipaddress.ip_address(str(entry[4][0]).split("%")[0]) for entry in found]
    # ::ffff:127.0.0.1 is 127.0.0.1.
    addresses = [
        address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped
        else address
        for address in addresses
    ]  # fmt: skip
    return any(
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
        for address in addresses
    )
