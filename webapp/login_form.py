"""The login form, shared by the login page and the throttle's refusal page, which shows it again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    # a phone's browser (WeChat's own among them) forgets a session cookie often; logging out ends it everywhere
    remember = BooleanField(_l("Stay logged in on this device for 14 days"))
