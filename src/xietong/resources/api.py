"""JSON API of this app, mounted at /api/v1/resources by xietong.api."""

from ninja import Router

router = Router(tags=["resources"])
