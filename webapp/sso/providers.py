"""The single sign-on providers of a deployment, read from one setting, ``HOUQIN_SSO``: a JSON list with one
object per school and kind, so each school signs in against its own CAS server or OpenID provider.

``{"kind": "cas", "school": "<school code>", "server_url": "https://cas.example.edu.cn/cas/", "version": 3,
"number_attribute": null, "name_attribute": "cn", "campus_attribute": null}``: the CAS user is the staff or student
number unless ``number_attribute`` names the attribute that carries it.

``{"kind": "oidc", "school": "<code>", "issuer": "https://id.example.edu.cn", "client_id": "houqin",
"client_secret": "…", "number_claim": "preferred_username", "name_claim": "name", "campus_claim": null,
"scope": "openid profile"}``: ``discovery_url`` may replace ``issuer`` when the provider's document is not at the
usual place.

``campus_attribute`` / ``campus_claim`` name what carries the person's campus (by its name here), which an account of
no campus yet is put on at sign-in (:func:`workflows.people.sso.person_for`); unset, none is read.

Secrets live in the environment only and never in a ``repr``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workflows.people.sso import SsoVia

ENV = "HOUQIN_SSO"
CAS_VERSIONS = (2, 3)


class SsoSettingsError(ValueError):
    """``HOUQIN_SSO`` is malformed; the message says which entry and what."""


@dataclass(frozen=True)
class CasProvider:
    school: str
    server_url: str
    version: int = 3
    number_attribute: str | None = None  # None: the CAS user itself
    name_attribute: str | None = None
    campus_attribute: str | None = None
    kind: SsoVia = SsoVia.cas


@dataclass(frozen=True)
class OidcProvider:
    school: str
    discovery_url: str
    client_id: str
    client_secret: str = field(repr=False)
    number_claim: str = "preferred_username"
    name_claim: str = "name"
    campus_claim: str | None = None
    scope: str = "openid profile"
    kind: SsoVia = SsoVia.oidc

    @property
    def client_name(self) -> str:
        """The name of this provider's client in Authlib's registry (and in its session keys)."""
        return f"oidc_{self.school}"


Provider = CasProvider | OidcProvider


def parse(value: str | None) -> tuple[Provider, ...]:
    """The providers ``HOUQIN_SSO`` lists (none when it is unset); :class:`SsoSettingsError` when malformed."""
    if not (value or "").strip():
        return ()
    try:
        entries = json.loads(value or "")
    except json.JSONDecodeError as err:
        raise SsoSettingsError(f"{ENV} is not JSON: {err}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SsoSettingsError(f"{ENV} must be a JSON list of objects")
    providers = tuple(_provider(n, e) for n, e in enumerate(entries, 1))
    seen = [(p.kind, p.school) for p in providers]
    if len(set(seen)) != len(seen):
        raise SsoSettingsError(f"{ENV} lists one school twice for the same kind")
    return providers


def from_env(env: Mapping[str, str]) -> tuple[Provider, ...]:
    return parse(env.get(ENV))


def _text(entry: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise SsoSettingsError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _url(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = _text(entry, key, where)
    if not value.startswith(("https://", "http://")):
        raise SsoSettingsError(f"{where}: {key!r} must be an http(s) address")
    return value


def _optional(entry: Mapping[str, Any], key: str, where: str) -> str | None:
    return _text(entry, key, where) if entry.get(key) is not None else None


def _provider(number: int, entry: Mapping[str, Any]) -> Provider:
    where = f"{ENV} entry {number}"
    kind = entry.get("kind")
    school = _text(entry, "school", where)
    if kind == SsoVia.cas:
        version = entry.get("version", 3)
        if version not in CAS_VERSIONS:
            raise SsoSettingsError(f"{where}: 'version' must be 2 or 3")
        return CasProvider(school=school, server_url=_url(entry, "server_url", where), version=int(version),
                           number_attribute=_optional(entry, "number_attribute", where),
                           name_attribute=_optional(entry, "name_attribute", where),
                           campus_attribute=_optional(entry, "campus_attribute", where))
    if kind == SsoVia.oidc:
        if entry.get("discovery_url"):
            discovery = _url(entry, "discovery_url", where)
        else:
            discovery = _url(entry, "issuer", where).rstrip("/") + "/.well-known/openid-configuration"
        return OidcProvider(school=school, discovery_url=discovery, client_id=_text(entry, "client_id", where),
                            client_secret=_text(entry, "client_secret", where),
                            number_claim=_text(entry, "number_claim", where, "preferred_username"),
                            name_claim=_text(entry, "name_claim", where, "name"),
                            campus_claim=_optional(entry, "campus_claim", where),
                            scope=_text(entry, "scope", where, "openid profile"))
    raise SsoSettingsError(f"{where}: 'kind' must be 'cas' or 'oidc'")
