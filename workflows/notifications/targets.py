"""Where a group-bot webhook may point: an http(s) URL whose host resolves only to public internet addresses.

Webhooks are posted by the server, so a target on loopback, a private or link-local network or the cloud
metadata service would let whoever edits the targets reach internal services (SSRF). :func:`check_target` runs
when an admin saves a target and again before every request the sender makes (each redirect included, since
what a name resolves to can change between the two); the request then connects to the address vetted here, never
to a fresh lookup (:mod:`workflows.notifications.pinned_http`). Hosts an operator lists in ``HOUQIN_WEBHOOK_ALLOW``
(``host`` or ``host:port``, comma-separated) are let through unchecked, e.g. an intranet bot gateway.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from workflows.errors import Refusal
from workflows.i18n import N_

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# cloud metadata services (AWS/GCP/Azure/OpenStack, AWS over IPv6, Alibaba Cloud), refused even where routable
METADATA = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Refusal):
    """The URL may not receive webhooks; the message says why, in any language (``said``), English for logs."""


def parse_allow(value: str | None) -> frozenset[str]:
    """``HOUQIN_WEBHOOK_ALLOW`` ("bots.intranet, 127.0.0.1:8080") as a set of lower-case ``host``/``host:port``."""
    return frozenset(item.strip().lower() for item in (value or "").split(",") if item.strip())


LABELS = {"is_unspecified": N_("an unspecified address"), "is_loopback": N_("a loopback address"),
          "is_link_local": N_("a link-local address"), "is_multicast": N_("a multicast address"),
          "is_private": N_("a private address"), "is_reserved": N_("a reserved address")}
EMBEDDED = N_("%(inner)s (embedded in %(ip)s)")
METADATA_SERVICE = N_("the cloud metadata service")
NOT_PUBLIC = N_("not a public address")
UNRESOLVED = N_("the host %(host)s cannot be resolved")
NOT_A_URL = N_("not a valid web address")
NOT_HTTP = N_("only http:// and https:// addresses can receive webhooks")
NO_HOST = N_("the address has no host")
PRIVATE_HOST = N_("%(host)s is %(reason)s; webhooks may only go to public internet addresses unless the host is listed in "
                  "HOUQIN_WEBHOOK_ALLOW")


def _why_not_public(ip: IPAddress) -> Refusal | None:
    """Why ``ip`` is no public address (a phrase to say in a sentence), or None when it is one."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = _why_not_public(embedded)
            return Refusal(EMBEDDED, inner=inner, ip=str(ip)) if inner else None
    if ip in METADATA:
        return Refusal(METADATA_SERVICE)
    for flag, label in LABELS.items():
        if getattr(ip, flag):
            return Refusal(label)
    if not ip.is_global:
        return Refusal(NOT_PUBLIC)
    return None


def _addresses(host: str, port: int) -> list[IPAddress]:
    """The host itself when it is an IP literal (no lookup), else every address it resolves to."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        infos = []
    if not infos:
        raise TargetRefused(UNRESOLVED, host=host)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_target(url: str, *, allowed: frozenset[str] = frozenset()) -> IPAddress | None:
    """Raise :class:`TargetRefused` unless ``url`` is http(s) with a host that is in ``allowed`` (as ``host`` or
    ``host:port``) or whose every address (``socket.getaddrinfo``) is public.

    Returns the vetted address to connect to (:mod:`workflows.notifications.pinned_http`), or None for an allowed
    host, which is resolved as usual."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:  # Python's words for it (a port out of range, a bad IPv6 literal) are English only
        raise TargetRefused(NOT_A_URL) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise TargetRefused(NOT_HTTP)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise TargetRefused(NO_HOST)
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    if {host, f"{host}:{port}", f"[{host}]", f"[{host}]:{port}"} & {a.lower() for a in allowed}:
        return None
    addresses = _addresses(host, port)
    for ip in addresses:
        reason = _why_not_public(ip)
        if reason:
            shown = host if str(ip) == host else f"{host} ({ip})"
            raise TargetRefused(PRIVATE_HOST, host=shown, reason=reason)
    return addresses[0]
