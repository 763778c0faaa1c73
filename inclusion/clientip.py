"""The visitor's IP address, the same for sign-in throttling (django-axes) and the public forms' rate limit."""

import ipaddress
from functools import lru_cache

from django.conf import settings

IPV6_PREFIX = 64  # one subscriber line gets a whole /64: counting single addresses would count nothing


def counted(address: str) -> str:
    """An address as the limits count it: IPv4 as is, IPv6 as its /64 network (written as its first address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)
    return str(ip)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in proxies if cidr.strip())


def is_trusted_proxy(address: str) -> bool:
    """REMOTE_ADDR is one of our own proxies (TRUSTED_PROXIES, a list of CIDR networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address in `CLIENT_IP_HEADER` written by the nearest of our proxies, counted as
    `counted` says.

    The header is read only when REMOTE_ADDR is a trusted proxy: anyone else could write it. Each proxy appends
    the address it received the request from, so only the last `CLIENT_IP_PROXY_COUNT` entries were written by
    our own proxies: anything to their left was sent by the client and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.CLIENT_IP_HEADER or not is_trusted_proxy(remote):
        return counted(remote)
    meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    entries = [entry.strip() for entry in request.META.get(meta_key, "").split(",") if entry.strip()]
    count = max(settings.CLIENT_IP_PROXY_COUNT, 1)
    if len(entries) < count:
        return counted(remote)
    candidate = entries[-count]
    try:
        return counted(str(ipaddress.ip_address(candidate)))
    except ValueError:
        return counted(remote)
