"""One way to get a test client for a user, so that every app's page and API tests log in alike."""

from __future__ import annotations

from django.test import Client


def client_for(user=None) -> Client:
    """A Django test client logged in as `user` (anonymous when `user` is None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# The error code the API answers a refusal with, by its status (core.errors and the API's 401 handler).
REFUSAL_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
