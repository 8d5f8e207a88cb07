"""One cleaning of organisation fields, shared by the registration form, the API and the Excel import."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext

from xietong.core.errors import Invalid
from xietong.core.excel import column_label, parse_bool
from xietong.orgs import credit_code
from xietong.orgs.enums import Industry, OrgKind
from xietong.regions.models import Region

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|400-?\d{3}-?\d{4})$")
FIELD_LABELS = {
    "name": "机构名称",
    "credit_code": "统一社会信用代码",
    "kind": "机构类型",
    "region": "所在地区",
    "industry": "所属行业",
    "is_high_tech": "高新技术企业",
    "is_tech_sme": "科技型中小企业",
    "is_little_giant": "专精特新小巨人",
    "address": "地址",
    "website": "网址",
    "description": "简介",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "contact_email": "电子邮箱",
}


@dataclass(frozen=True)
class OrgData:
    name: str
    credit_code: str
    kind: str
    region_code: str
    industry: str = ""
    is_high_tech: bool = False
    is_tech_sme: bool = False
    is_little_giant: bool = False
    address: str = ""
    website: str = ""
    description: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""

    def model_fields(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["region_id"] = values.pop("region_code")
        return values


def _choice(value: str, choices: type, label: str) -> str:
    text = value.strip()
    for code, name in choices.choices:
        if text in (code, name):
            return code
    allowed = "、".join(name for _, name in choices.choices)
    raise ValueError(
        gettext("%(label)s“%(text)s”无效，可选：%(allowed)s")
        % {"label": column_label(label), "text": text, "allowed": allowed}
    )


class RegionResolver:
    """Resolves a 6-digit code or an exact (short) name to a region code; loads the table once per import."""

    def __init__(self) -> None:
        self.codes: set[str] = set()
        self.by_name: dict[str, list[str]] = {}
        for code, name, short_name in Region.objects.values_list("code", "name", "short_name"):
            self.codes.add(code)
            for key in {name, short_name}:
                self.by_name.setdefault(key, []).append(code)

    def __call__(self, value: str) -> str:
        text = value.strip()
        if re.fullmatch(r"\d{6}", text):
            if text in self.codes:
                return text
            raise ValueError(gettext("地区代码“%(text)s”不在 GB/T 2260 行政区划中") % {"text": text})
        matches = self.by_name.get(text, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValueError(
                gettext("地区名称“%(text)s”有重名（%(codes)s），请填写 6 位区划代码")
                % {"text": text, "codes": gettext("、").join(matches)}
            )
        raise ValueError(gettext("找不到地区“%(text)s”，请填写 6 位区划代码或完整名称") % {"text": text})


def clean_org(
    raw: dict[str, Any], *, resolve_region: RegionResolver | None = None
) -> tuple[OrgData | None, dict[str, str]]:
    """Validate raw text fields; returns (data, {}) or (None, {field: 中文 message})."""
    resolve_region = resolve_region or RegionResolver()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def text(key: str, max_len: int, required: bool = False) -> str:
        value = str(raw.get(key) or "").strip()
        if required and not value:
            errors[key] = gettext("%(FIELD_LABELS)s为必填项") % {"FIELD_LABELS": FIELD_LABELS[key]}
        elif len(value) > max_len:
            errors[key] = gettext("%(FIELD_LABELS)s不能超过 %(max_len)s 个字符") % {
                "FIELD_LABELS": FIELD_LABELS[key],
                "max_len": max_len,
            }
        return value

    out["name"] = text("name", 120, required=True)
    for key, max_len in (("address", 200), ("description", 4000), ("contact_name", 40)):
        out[key] = text(key, max_len)
    try:
        out["credit_code"] = credit_code.validate(str(raw.get("credit_code") or ""))
    except credit_code.CreditCodeError as exc:
        errors["credit_code"] = exc.message
    for key, choices, required in (("kind", OrgKind, True), ("industry", Industry, False)):
        value = str(raw.get(key) or "").strip()
        if not value:
            if required:
                errors[key] = gettext("%(FIELD_LABELS)s为必填项") % {"FIELD_LABELS": FIELD_LABELS[key]}
            out[key] = ""
            continue
        try:
            out[key] = _choice(value, choices, FIELD_LABELS[key])
        except ValueError as exc:
            errors[key] = str(exc)
    region = str(raw.get("region") or raw.get("region_code") or "").strip()
    if not region:
        errors["region"] = gettext("所在地区为必填项")
    else:
        try:
            out["region_code"] = resolve_region(region)
        except ValueError as exc:
            errors["region"] = str(exc)
    for key in ("is_high_tech", "is_tech_sme", "is_little_giant"):
        value = raw.get(key)
        if isinstance(value, bool) or value is None:
            out[key] = bool(value)
            continue
        try:
            out[key] = bool(parse_bool(str(value)))
        except ValueError:
            errors[key] = gettext("%(FIELD_LABELS)s应填“是”或“否”，当前为“%(value)s”") % {
                "FIELD_LABELS": FIELD_LABELS[key],
                "value": value,
            }
    out["contact_phone"] = str(raw.get("contact_phone") or "").strip().replace(" ", "")
    if out["contact_phone"] and not PHONE_RE.match(out["contact_phone"]):
        errors["contact_phone"] = gettext(
            "联系电话“%(contact_phone)s”格式不正确（手机 11 位或区号-号码）"
        ) % {"contact_phone": out["contact_phone"]}
    out["contact_email"] = str(raw.get("contact_email") or "").strip()
    if out["contact_email"]:
        try:
            validate_email(out["contact_email"])
        except ValidationError:
            errors["contact_email"] = gettext("电子邮箱“%(contact_email)s”格式不正确") % {
                "contact_email": out["contact_email"]
            }
    out["website"] = str(raw.get("website") or "").strip()
    if out["website"]:
        try:
            URLValidator(schemes=["http", "https"])(out["website"])
        except ValidationError:
            errors["website"] = gettext("网址“%(website)s”格式不正确（应以 http:// 或 https:// 开头）") % {
                "website": out["website"]
            }
    if out.get("kind") and out["kind"] != OrgKind.ENTERPRISE and out.get("is_tech_sme"):
        errors["is_tech_sme"] = gettext("只有企业可以标记为科技型中小企业")
    if errors:
        return None, errors
    return OrgData(**out), {}


def require_clean(raw: dict[str, Any]) -> OrgData:
    data, errors = clean_org(raw)
    if errors:
        message = "；".join(errors.values())
        raise Invalid(message, fields=errors)
    return data
