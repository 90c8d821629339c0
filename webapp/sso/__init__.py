"""Single sign-on: CAS (cas.py), OpenID Connect (oidc.py) and WeCom's web login on phones (wecom.py), each a
blueprint; providers.py reads which schools have which from the settings, signin.py is what they share (the
state in the session, logging in, the refusal page, the single logout). Who a vouched-for identity is belongs to
:mod:`workflows.people.sso`."""
