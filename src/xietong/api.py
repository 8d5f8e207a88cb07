"""Mounts one ninja Router per app under /api/v1/."""

from ninja import NinjaAPI

from xietong.core.api import AUTH_OR_PUBLIC, install_error_handlers

api = NinjaAPI(
    title="Xietong 协同 API",
    version="1",
    description="跨区域协同创新平台 API。浏览器使用会话登录；脚本使用个人 API 令牌（Authorization: Bearer xt_…）。",
    auth=AUTH_OR_PUBLIC,
    urls_namespace="api",
)
install_error_handlers(api)


def _mount() -> None:
    from xietong.chains.api import router as chains_router
    from xietong.coordination.api import router as coordination_router
    from xietong.core.api_tokens import router as tokens_router
    from xietong.core.inbox_api import router as inbox_router
    from xietong.evaluation.api import router as evaluation_router
    from xietong.orgs.api import router as orgs_router
    from xietong.regions.api import router as regions_router
    from xietong.regions.api import zones_router
    from xietong.resources.api import router as resources_router
    from xietong.sharing.api import router as sharing_router
    from xietong.talent.api import router as talent_router
    from xietong.transfer.api import router as transfer_router
    from xietong.vouchers.api import router as vouchers_router

    api.add_router("/regions", regions_router)
    api.add_router("/zones", zones_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/me", tokens_router)
    api.add_router("/inbox", inbox_router)
    api.add_router("/resources", resources_router)
    api.add_router("/vouchers", vouchers_router)
    api.add_router("/transfer", transfer_router)
    api.add_router("/evaluation", evaluation_router)
    api.add_router("/talent", talent_router)
    api.add_router("/chains", chains_router)
    api.add_router("/coordination", coordination_router)
    api.add_router("/sharing", sharing_router)


_mount()
