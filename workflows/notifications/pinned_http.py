"""HTTP(S) that connects to an address checked beforehand, so a host name cannot change its answer in between.

:func:`workflows.notifications.targets.check_target` resolves a webhook's host and vets every address; if the
request then resolved the name again, a DNS server answering "public" to the check and "127.0.0.1" a moment later
(DNS rebinding) would still reach an internal service. These connections take the vetted address and never look
the name up again; the name still goes in the ``Host`` header and, for HTTPS, in the TLS server name and the
certificate check, so the receiver sees an ordinary request.
"""
from __future__ import annotations

import http.client
import socket
import urllib.request
from typing import Any

from workflows.notifications.targets import IPAddress


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, *, address: IPAddress, **kwargs: Any):
        super().__init__(host, **kwargs)
        self._address = str(address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout, getattr(self, "source_address", None))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, *, address: IPAddress, **kwargs: Any):
        super().__init__(host, **kwargs)
        self._address = str(address)

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout, getattr(self, "source_address", None))
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]  # set by HTTPSConnection


class _PinnedHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    def __init__(self, address: IPAddress):
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)
        self._address = address

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(lambda host, **kw: _PinnedHTTPConnection(host, address=self._address, **kw), req)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(lambda host, **kw: _PinnedHTTPSConnection(host, address=self._address, **kw), req,
                            context=self._context)  # type: ignore[attr-defined]  # HTTPSHandler keeps its context


def opener(address: IPAddress | None, *handlers: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
    """A urllib opener whose requests go to ``address`` (None: resolve the name as usual, for allow-listed hosts)."""
    return urllib.request.build_opener(*handlers, *([_PinnedHandler(address)] if address is not None else []))
