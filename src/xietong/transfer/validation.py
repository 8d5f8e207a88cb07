"""Cleaning of raw listing input (forms, API, demo) into model fields, with 中文 messages per field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from xietong.core.errors import Invalid
from xietong.core.money import wan_yuan_to_fen
from xietong.orgs.enums import Industry
from xietong.transfer.enums import IpType, TransferMode

_SPLIT = re.compile(r"[，,、;；\s]+")
_PHONE = re.compile(r"^[0-9+\-() ]{7,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LABELS = {
    "title": "名称", "keywords": "关键词", "industry": "所属领域", "transfer_modes": "转化方式",
    "contact_name": "联系人", "contact_phone": "联系电话", "contact_email": "电子邮箱", "summary": "成果简介",
    "innovation_points": "创新点", "trl": "技术成熟度", "ip_type": "知识产权类型", "patent_numbers": "专利号",
    "price_fen": "意向价格", "price_wan": "意向价格（万元）", "problem": "需求描述", "indicators": "技术指标",
    "basis": "现有基础", "trl_min": "需要的成熟度", "budget_fen": "预算", "budget_wan": "预算（万元）",
    "deadline": "截止日期", "owner": "所属机构", "conditions": "承接条件", "incentives": "支持政策",
    "industries": "承接领域", "region": "承接地区",
}  # fmt: skip


class _Cleaner:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.errors: dict[str, str] = {}
        self.out: dict[str, Any] = {}

    def text(self, key: str, max_len: int, *, required: bool = False) -> None:
        value = str(self.raw.get(key) or "").strip()
        if required and not value:
            self.errors[key] = _("请填写%(LABELS)s") % {"LABELS": LABELS[key]}
        elif len(value) > max_len:
            self.errors[key] = _("%(LABELS)s不能超过 %(max_len)s 个字符") % {
                "LABELS": LABELS[key],
                "max_len": max_len,
            }
        self.out[key] = value

    def words(self, key: str, *, limit: int = 12) -> None:
        value = self.raw.get(key) or []
        items = _SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value]
        items = list(dict.fromkeys(w.strip() for w in items if w and w.strip()))
        if len(items) > limit or any(len(w) > 20 for w in items):
            self.errors[key] = _("%(LABELS)s最多 %(limit)s 个，每个不超过 20 个字符") % {
                "LABELS": LABELS[key],
                "limit": limit,
            }
        self.out[key] = items

    def choice(self, key: str, choices, *, required: bool = True) -> None:
        value = str(self.raw.get(key) or "").strip()
        if not value and not required:
            self.out[key] = ""
            return
        if value not in choices.values:
            labels = {label: code for code, label in choices.choices}
            if value in labels:
                value = labels[value]
            else:
                self.errors[key] = _("请选择有效的%(LABELS)s") % {"LABELS": LABELS[key]}
        self.out[key] = value

    def choices(self, key: str, choices, *, required: bool = False) -> list[str]:
        value = self.raw.get(key) or []
        items = _SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value]
        labels = {label: code for code, label in choices.choices}
        codes = []
        for item in filter(None, (i.strip() for i in items)):
            code = item if item in choices.values else labels.get(item)
            if code is None:
                self.errors[key] = _("%(LABELS)s“%(item)s”不在可选范围内") % {
                    "LABELS": LABELS[key],
                    "item": item,
                }
            elif code not in codes:
                codes.append(code)
        if required and not codes and key not in self.errors:
            self.errors[key] = _("请至少选择一项%(LABELS)s") % {"LABELS": LABELS[key]}
        return codes

    def trl(self, key: str, *, required: bool) -> None:
        value = str(self.raw.get(key) or "").strip().upper().removeprefix("TRL").strip()
        if not value:
            if required:
                self.errors[key] = _("请选择%(LABELS)s（TRL 1–9）") % {"LABELS": LABELS[key]}
            self.out[key] = None
            return
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 9:
            self.errors[key] = _("%(LABELS)s应为 1–9 的整数（GB/T 22900）") % {"LABELS": LABELS[key]}
            self.out[key] = None
            return
        self.out[key] = int(value)

    def money(self, fen_key: str, wan_key: str) -> None:
        """Amounts come as 分 (API: `*_fen`) or as 万元 text (pages: `*_wan`); blank = 面议 (0)."""
        if self.raw.get(fen_key) not in (None, ""):
            value = self.raw[fen_key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.errors[fen_key] = _("%(LABELS)s应为不小于 0 的整数（分）") % {"LABELS": LABELS[fen_key]}
                value = 0
            self.out[fen_key] = value
            return
        text = str(self.raw.get(wan_key) or "").strip()
        try:
            fen = wan_yuan_to_fen(text) if text else 0
        except Invalid as exc:
            self.errors[wan_key] = exc.message
            fen = 0
        if fen < 0 or fen > 10**15:
            self.errors[wan_key] = _("%(LABELS)s超出范围") % {"LABELS": LABELS[wan_key]}
            fen = 0
        self.out[fen_key] = fen

    def contact(self) -> None:
        self.text("contact_name", 40, required=True)
        self.text("contact_phone", 30)
        self.text("contact_email", 254)
        if self.out["contact_phone"] and not _PHONE.match(self.out["contact_phone"]):
            self.errors["contact_phone"] = _("联系电话格式不正确")
        if self.out["contact_email"] and not _EMAIL.match(self.out["contact_email"]):
            self.errors["contact_email"] = _("电子邮箱格式不正确")
        if not (self.out["contact_phone"] or self.out["contact_email"]):
            self.errors.setdefault("contact_phone", _("联系电话与电子邮箱至少填写一项"))

    def finish(self) -> dict[str, Any]:
        if self.errors:
            first = next(iter(self.errors.values()))
            raise Invalid(first, code="invalid_listing", errors=self.errors)
        return self.out


def _listing_common(c: _Cleaner) -> None:
    c.text("title", 120, required=True)
    c.words("keywords")
    c.choice("industry", Industry)
    c.out["transfer_modes"] = c.choices("transfer_modes", TransferMode, required=True)
    c.contact()


def clean_achievement(raw: dict[str, Any]) -> dict[str, Any]:
    c = _Cleaner(raw)
    _listing_common(c)
    c.text("summary", 4000, required=True)
    c.text("innovation_points", 2000)
    c.trl("trl", required=True)
    c.choice("ip_type", IpType)
    c.text("patent_numbers", 300)
    c.money("price_fen", "price_wan")
    return c.finish()


def clean_demand(raw: dict[str, Any]) -> dict[str, Any]:
    c = _Cleaner(raw)
    _listing_common(c)
    c.text("problem", 4000, required=True)
    c.text("indicators", 2000)
    c.text("basis", 2000)
    c.trl("trl_min", required=False)
    c.money("budget_fen", "budget_wan")
    deadline = str(raw.get("deadline") or "").strip()
    c.out["deadline"] = None
    if deadline:
        try:
            c.out["deadline"] = dt.date.fromisoformat(deadline)
        except ValueError:
            c.errors["deadline"] = _("截止日期格式应为 YYYY-MM-DD")
    return c.finish()


def clean_acceptance(raw: dict[str, Any]) -> dict[str, Any]:
    c = _Cleaner(raw)
    c.text("title", 120, required=True)
    c.out["industries"] = c.choices("industries", Industry, required=True)
    c.words("keywords")
    c.trl("trl_min", required=False)
    c.text("conditions", 2000)
    c.text("incentives", 2000)
    return c.finish()
