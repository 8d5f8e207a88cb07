"""JSON API of this app, mounted at /api/v1/vouchers by xietong.api."""

from ninja import Router

router = Router(tags=["vouchers"])
