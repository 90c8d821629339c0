"""portal pages (being built)."""
from flask import Blueprint

bp = Blueprint("portal", __name__)
