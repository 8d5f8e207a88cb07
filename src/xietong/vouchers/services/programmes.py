"""Setting up and closing programmes; the budget is funded into the ledger when the programme is created."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xietong.core import audit
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.wording import Wording
from xietong.ledger import services as ledger
from xietong.orgs import selectors as org_selectors
from xietong.orgs.models import Organisation
from xietong.regions import selectors as region_selectors
from xietong.resources.enums import ResourceKind
from xietong.vouchers import locks
from xietong.vouchers.enums import EntryKind, Mode, ProgrammeStatus, ProviderScope, ReviewLevels
from xietong.vouchers.models import Programme
from xietong.vouchers.policies import ProgrammePolicy, may_issue
from xietong.vouchers.selectors import programme_get
from xietong.vouchers.services.accounts import programme_accounts

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{2,39}$")
MONEY_FIELDS = ("budget_fen", "per_application_cap_fen", "per_firm_year_cap_fen")
MAX_FEN = 10**15  # a thousand billion 元: beyond any programme


def _int(data: dict, key: str, label: str, *, low: int = 0, high: int = MAX_FEN) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(_("%(label)s应为整数") % {"label": label}, field=key)
    if not low <= value <= high:
        raise Invalid(_("%(label)s超出允许范围") % {"label": label}, field=key)
    return value


def _date(data: dict, key: str, label: str) -> date:
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError as exc:
            raise Invalid(_("%(label)s格式应为 YYYY-MM-DD") % {"label": label}, field=key) from exc
    if not isinstance(value, date):
        raise Invalid(_("请填写%(label)s") % {"label": label}, field=key)
    return value


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    name = str(data.get("name") or "").strip()
    if not 2 <= len(name) <= 120:
        raise Invalid(_("方案名称应为 2–120 个字符"), field="name")
    code = str(data.get("code") or "").strip().lower()
    if not CODE.match(code):
        raise Invalid(_("方案代码应为 3–40 位小写字母、数字或连字符"), field="code")
    if data.get("mode") not in Mode.values:
        raise Invalid(_("跨区模式应为“通用”或“通兑”"), field="mode")
    if data.get("provider_scope") not in ProviderScope.values:
        raise Invalid(_("请选择服务机构范围"), field="provider_scope")
    out = {
        "name": name,
        "code": code,
        "mode": data["mode"],
        "provider_scope": data["provider_scope"],
        "year": _int(data, "year", "年度", low=2000, high=2100),
        "subsidy_ratio_bp": _int(data, "subsidy_ratio_bp", "补贴比例", low=1, high=10_000),
        "full_subsidy_below_fen": _int(data, "full_subsidy_below_fen", "全额补贴门槛")
        if data.get("full_subsidy_below_fen")
        else 0,
        "forfeit_lapse_bp": _int(data, "forfeit_lapse_bp", "失效比例", high=10_000)
        if data.get("forfeit_lapse_bp")
        else 0,
        "publicity_days": _int(data, "publicity_days", "公示天数", low=1, high=60)
        if data.get("publicity_days")
        else 7,
        "require_tech_sme": bool(data.get("require_tech_sme")),
        "require_high_tech": bool(data.get("require_high_tech")),
        "require_little_giant": bool(data.get("require_little_giant")),
    }
    for key, label in zip(MONEY_FIELDS, ("预算", "单次申领上限", "每家企业年度上限"), strict=True):
        out[key] = _int(data, key, label, low=1)
    for key, label in (
        ("applications_open_on", "申领开始日期"),
        ("applications_close_on", "申领截止日期"),
        ("use_deadline", "使用截止日期"),
        ("redemption_deadline", "兑付申请截止日期"),
    ):
        out[key] = _date(data, key, label)
    if out["applications_close_on"] < out["applications_open_on"]:
        raise Invalid(_("申领截止日期不能早于开始日期"), field="applications_close_on")
    if out["use_deadline"] < out["applications_open_on"]:
        raise Invalid(_("使用截止日期不能早于申领开始日期"), field="use_deadline")
    if out["redemption_deadline"] < out["use_deadline"]:
        raise Invalid(_("兑付申请截止日期不能早于使用截止日期"), field="redemption_deadline")
    if out["per_application_cap_fen"] > out["budget_fen"] or out["per_firm_year_cap_fen"] > out["budget_fen"]:
        raise Invalid(_("单次或年度上限不能超过方案预算"), field="per_application_cap_fen")
    kinds = list(data.get("service_kinds") or [])
    if any(k not in ResourceKind.values for k in kinds):
        raise Invalid(_("服务类型取值无效"), field="service_kinds")
    out["service_kinds"] = sorted(set(kinds))
    return out


def _issuer(data: dict[str, Any]) -> tuple[str | None, int | None]:
    region, zone = data.get("issuer_region") or None, data.get("issuer_zone") or None
    if bool(region) == bool(zone):
        raise Invalid(_("请指定发券地区或协同区（二选一）"), field="issuer_region")
    if region:
        return region_selectors.region_get(str(region)).code, None
    return None, region_selectors.zone_get(zone_id_or_code=zone).pk


@transaction.atomic
def programme_create(*, actor: Actor, data: dict[str, Any]) -> Programme:
    """A bureau (or zone office) sets up a programme; its whole budget is funded into the ledger at once."""
    region_code, zone_id = _issuer(data)
    if not may_issue(actor, region_code, zone_id):
        raise Forbidden(_("只能为本辖区（或本协同区）设立创新券方案"))
    fields = _clean(data)
    fields["review_levels"] = _review_levels(data.get("review_levels") or "", region_code)
    if Programme.objects.filter(
        code=fields["code"]
    ).exists():  # tenancy-ok: uniqueness of the programme code across the platform
        raise Conflict(_("方案代码“%(code)s”已被使用") % {"code": fields["code"]}, field="code")
    provider_zone = None
    if fields["provider_scope"] == ProviderScope.ZONE:
        if not data.get("provider_zone"):
            raise Invalid(_("“协同区内服务机构”需指定协同区"), field="provider_zone")
        provider_zone = region_selectors.zone_get(zone_id_or_code=data["provider_zone"])
    named = _named_providers(fields["provider_scope"], data.get("named_provider_ids") or [])
    accounts = programme_accounts(code=fields["code"], name=fields["name"])
    programme = Programme.objects.create(
        **fields,
        **accounts,
        issuer_region_id=region_code,
        issuer_zone_id=zone_id,
        provider_zone=provider_zone,
        created_by_id=actor.user_id,
    )
    programme.named_providers.set(named)
    ledger.post_entry(
        kind=EntryKind.FUND,
        postings=[
            (accounts["budget_account"], fields["budget_fen"]),
            (accounts["funding_account"], -fields["budget_fen"]),
        ],
        actor=actor,
        memo=Wording(gettext_noop("%(programme)s 预算拨入"), {"programme": programme.name}),
        idempotency_key=f"voucher.fund:{programme.code}",
    )
    audit.record(
        actor=actor,
        verb="voucher.programme_created",
        target=programme,
        data={"budget_fen": programme.budget_fen},
    )
    return programme


LEVEL_RANK = {"county": 0, "prefecture": 1, "province": 2}


def _review_levels(value: str, region_code: str | None) -> str:
    """The levels reviewing before the issuer must lie below it: a city's programme may have its districts
    review first, a province's its districts and cities; a zone's programme any of them."""
    if value not in ReviewLevels.values:
        raise Invalid(_("分级审核方式无效"), field="review_levels")
    if value and region_code:
        issuer_level = region_selectors.region_get(region_code).level
        if any(LEVEL_RANK[level] >= LEVEL_RANK.get(issuer_level, 0) for level in value.split(",")):
            raise Invalid(
                _("分级审核的各级须低于发券地区（例如市级方案只能设区县初审）"), field="review_levels"
            )
    return value


def _named_providers(scope: str, ids: list[int]) -> list[Organisation]:
    if scope != ProviderScope.NAMED:
        return []
    if not ids or len(ids) > 500:
        raise Invalid(_("“指定服务机构”需列出 1–500 家机构"), field="named_provider_ids")
    found = org_selectors.approved_by_ids(ids=ids)
    if len(found) != len(set(ids)):
        raise Invalid(_("指定服务机构中有不存在或未认证的机构"), field="named_provider_ids")
    return found


@transaction.atomic
def programme_close(*, actor: Actor, programme_id: int) -> Programme:
    programme = programme_get(actor=actor, programme_id=programme_id)
    ProgrammePolicy.require(actor, "manage", programme)
    programme = locks.programmes_for_update().get(pk=programme.pk)
    if programme.status == ProgrammeStatus.CLOSED:
        raise Conflict(_("方案已结束"))
    programme.status = ProgrammeStatus.CLOSED
    programme.save(update_fields=["status"])
    audit.record(actor=actor, verb="voucher.programme_closed", target=programme)
    return programme
