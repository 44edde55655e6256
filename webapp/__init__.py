"""Flask web application: the Dutch search UI and the JSON API."""
from webapp.app import create_app

__all__ = ["create_app"]
