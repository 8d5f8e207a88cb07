"""JSON API of this app, mounted at /api/v1/transfer by xietong.api."""

from ninja import Router

router = Router(tags=["transfer"])
