"""Pure checks of one row of input (a form, an API body or a workbook row) into cleaned fields or 中文 errors.

The same cleaner serves the page, the API and the Excel import, so a rule is stated once.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from xietong.core.excel import column_label
from xietong.talent.disciplines import CATEGORY_OF
from xietong.talent.enums import TalentTier, TitleRank

PHONE = re.compile(r"^1[3-9]\d{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# An 18-character resident ID (or 15-digit old one) typed into a free-text field: refused, never stored.
ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
TITLE_BY_LABEL = {label: value for value, label in TitleRank.choices} | {v: v for v in TitleRank.values}
TITLE_BY_LABEL |= {"正高": TitleRank.SENIOR, "副高": TitleRank.VICE_SENIOR}
TIER_BY_LABEL = {label: value for value, label in TalentTier.choices} | {v: v for v in TalentTier.values}
TIER_BY_LABEL |= {f"{v}类": v for v in TalentTier.values if v}


class Cleaner:
    """Collects cleaned values and one message per bad field; a field's (Chinese) label is named for the reader
    by `core.excel.column_label` ("Name (姓名)" in English, the workbook header being the Chinese label)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = {k: "" if v is None else v for k, v in raw.items()}
        self.data: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def _text(self, key: str) -> str:
        value = self.raw.get(key, "")
        return value.strip() if isinstance(value, str) else str(value).strip()

    def text(self, key: str, label: str, max_len: int, *, required: bool = False) -> str:
        value = self._text(key)
        if required and not value:
            self.errors[key] = _("请填写%(label)s") % {"label": column_label(label)}
        elif len(value) > max_len:
            self.errors[key] = _("%(label)s不能超过 %(max_len)s 个字") % {
                "label": column_label(label),
                "max_len": max_len,
            }
        elif ID_CARD.search(value):
            self.errors[key] = _("%(label)s中不能填写身份证号码（平台不保存身份证号码）") % {
                "label": column_label(label)
            }
        self.data[key] = value
        return value

    def words(self, key: str, label: str, *, limit: int = 12) -> list[str]:
        value = self.raw.get(key, "")
        items = value if isinstance(value, list) else re.split(r"[，,、;；\s]+", str(value))
        items = [str(w).strip() for w in items if str(w).strip()]
        if len(items) > limit:
            self.errors[key] = _("%(label)s最多 %(limit)s 个") % {
                "label": column_label(label),
                "limit": limit,
            }
        elif any(len(w) > 30 for w in items):
            self.errors[key] = _("%(label)s每个不能超过 30 个字") % {"label": column_label(label)}
        self.data[key] = list(dict.fromkeys(items))
        return self.data[key]

    def mapped(self, key: str, label: str, mapping: dict[str, str], *, required: bool = True) -> str:
        value = self._text(key)
        if not value and not required:
            self.data[key] = mapping.get("", "")
            return self.data[key]
        if value not in mapping:
            self.errors[key] = (
                _("%(label)s“%(value)s”无效") % {"label": column_label(label), "value": value}
                if value
                else _("请填写%(label)s") % {"label": column_label(label)}
            )
            return ""
        self.data[key] = mapping[value]
        return self.data[key]

    def discipline(self, key: str = "discipline") -> str:
        value = self._text(key)
        if value not in CATEGORY_OF:
            self.errors[key] = (
                _("学科“%(value)s”不在学科分类中") % {"value": value} if value else _("请填写学科")
            )
        self.data[key] = value
        return value

    def phone(self, key: str = "phone") -> str:
        value = re.sub(r"[\s-]", "", self._text(key))
        if value and not PHONE.match(value):
            self.errors[key] = _("手机号码应为 11 位数字，以 1 开头")
        self.data[key] = value
        return value

    def email(self, key: str = "email") -> str:
        value = self._text(key)
        if value and (len(value) > 254 or not EMAIL.match(value)):
            self.errors[key] = _("电子邮箱格式不正确")
        self.data[key] = value
        return value

    def integer(self, key: str, label: str, *, low: int, high: int, default: int | None = None) -> int | None:
        value = self._text(key)
        if not value and default is not None:
            self.data[key] = default
            return default
        try:
            number = int(value)
        except ValueError:
            self.errors[key] = _("%(label)s应为整数") % {"label": column_label(label)}
            return None
        if not low <= number <= high:
            self.errors[key] = _("%(label)s应在 %(low)s 到 %(high)s 之间") % {
                "label": column_label(label),
                "low": low,
                "high": high,
            }
            return None
        self.data[key] = number
        return number

    def day(self, key: str, label: str, *, required: bool = True) -> date | None:
        value = self.raw.get(key, "")
        if isinstance(value, date):
            self.data[key] = value
            return value
        value = str(value).strip()[:10]
        if not value:
            if required:
                self.errors[key] = _("请填写%(label)s") % {"label": column_label(label)}
            self.data[key] = None
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.errors[key] = _("%(label)s应为 YYYY-MM-DD 格式的日期") % {"label": column_label(label)}
            return None
        if not 2000 <= parsed.year <= 2100:
            self.errors[key] = _("%(label)s应在 2000 年到 2100 年之间") % {"label": column_label(label)}
            return None
        self.data[key] = parsed
        return parsed


def clean_profile(raw: dict[str, Any]) -> Cleaner:
    c = Cleaner(raw)
    c.text("name", "姓名", 40, required=True)
    c.discipline()
    c.mapped("title_rank", "职称", TITLE_BY_LABEL, required=False)
    if not c.data.get("title_rank"):
        c.data["title_rank"] = TitleRank.NONE
    c.mapped("tier", "人才层次", TIER_BY_LABEL, required=False)
    c.text("position", "职务", 60)
    c.text("expertise", "研究专长", 2000)
    c.words("keywords", "关键词")
    c.phone()
    c.email()
    return c
