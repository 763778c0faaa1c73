"""The visitor's IP address, the same for sign-in throttling (django-axes) and the public forms' rate limit."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind a proxy the address in `CLIENT_IP_HEADER` written by the nearest trusted proxy.

    Each proxy appends the address it received the request from, so only the last `CLIENT_IP_PROXY_COUNT`
    entries were written by our own proxies: anything to their left was sent by the client and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.CLIENT_IP_HEADER:
        return remote
    meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    entries = [entry.strip() for entry in request.META.get(meta_key, "").split(",") if entry.strip()]
    count = max(settings.CLIENT_IP_PROXY_COUNT, 1)
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
