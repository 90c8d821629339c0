"""HOUQIN_SSO: each school's CAS server or OpenID provider, read once; a malformed entry names itself."""
from __future__ import annotations

import json
import re

import pytest

from webapp.config import Settings
from webapp.sso.providers import CasProvider, OidcProvider, SsoSettingsError, parse


def test_providers_are_read_with_their_defaults_and_the_secret_kept_out_of_repr():
    value = json.dumps([
        {"kind": "cas", "school": "north", "server_url": "https://cas.north.edu.cn/cas/", "version": 2},
        {"kind": "oidc", "school": "south", "issuer": "https://id.south.edu.cn/", "client_id": "houqin",
         "client_secret": "s3cret-value"},
    ])
    cas, oidc = Settings.from_env({"HOUQIN_SSO": value, "SECRET_KEY": "x"}).sso
    assert cas == CasProvider(school="north", server_url="https://cas.north.edu.cn/cas/", version=2)
    assert isinstance(oidc, OidcProvider) and oidc.discovery_url == "https://id.south.edu.cn/.well-known/openid-configuration"
    assert (oidc.number_claim, oidc.scope, oidc.campus_claim) == ("preferred_username", "openid profile", None)
    assert "s3cret-value" not in repr(oidc)
    assert parse(None) == () and parse("  ") == ()


def test_what_carries_the_campus_is_read_when_named():
    cas, oidc = parse(json.dumps([
        {"kind": "cas", "school": "north", "server_url": "https://cas.north.edu.cn/cas/", "campus_attribute": "campus"},
        {"kind": "oidc", "school": "south", "issuer": "https://id.south.edu.cn/", "client_id": "houqin",
         "client_secret": "s", "campus_claim": "campus_name"},
    ]))
    assert isinstance(cas, CasProvider) and isinstance(oidc, OidcProvider)
    assert (cas.campus_attribute, oidc.campus_claim) == ("campus", "campus_name")
    with pytest.raises(SsoSettingsError, match=re.escape("'campus_claim' must be a non-empty string")):
        parse(json.dumps([{"kind": "oidc", "school": "a", "issuer": "https://i", "client_id": "c", "client_secret": "s",
                           "campus_claim": 3}]))


@pytest.mark.parametrize("entries, words", [
    ("not json", "not JSON"),
    ([{"kind": "saml", "school": "a"}], "entry 1: 'kind'"),
    ([{"kind": "cas", "school": "a", "server_url": "cas.example"}], "'server_url' must be an http(s) address"),
    ([{"kind": "cas", "school": "a", "server_url": "https://c/", "version": 1}], "'version' must be 2 or 3"),
    ([{"kind": "oidc", "school": "a", "issuer": "https://i", "client_id": "c"}], "'client_secret'"),
    ([{"kind": "cas", "school": "a", "server_url": "https://c/"}] * 2, "one school twice"),
])
def test_a_malformed_setting_is_refused_saying_what(entries, words):
    with pytest.raises(SsoSettingsError, match=re.escape(words)):
        parse(entries if isinstance(entries, str) else json.dumps(entries))
