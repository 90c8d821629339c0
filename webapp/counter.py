"""counter pages (being built)."""
from flask import Blueprint

bp = Blueprint("counter", __name__)
