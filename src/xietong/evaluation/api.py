"""JSON API of this app, mounted at /api/v1/evaluation by xietong.api."""

from ninja import Router

router = Router(tags=["evaluation"])
