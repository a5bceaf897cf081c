"""Base-URL rules, kept light (no httpx) so the sign-in screen can check a URL instantly."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_host(url: str) -> str:
    return urlsplit(url).hostname or ""


def check_base_url(base_url: str) -> str:
    """Only https, except plain http to this machine (the sandbox). Returns the URL."""
    parts = urlsplit(base_url)
    if parts.scheme == "https" and parts.hostname:
        return base_url
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return base_url
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{base_url!r} is not a URL like https://api.example.in")
    raise ValueError(f"refusing {base_url!r}: EnKash must be reached over https")
