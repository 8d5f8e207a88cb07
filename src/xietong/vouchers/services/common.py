"""Helpers shared by the voucher services: today, voucher codes, regions for settlement, subsidy caps."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from xietong.core import clock
from xietong.regions import selectors as region_selectors
from xietong.regions.enums import RegionLevel
from xietong.regions.models import Region
from xietong.vouchers.errors import BadVoucherCode
from xietong.vouchers.subsidy import max_subsidy_fen  # noqa: F401  (the services' callers import it here)

CODE_PATTERN = re.compile(r"^XT-([0-9A-Z]{1,8})-(\d{4})-(\d{6,12})-([0-9A-F]{6})$")


def today() -> date:
    return clock.today()


def _code_keys() -> list[str]:
    """XIETONG_VOUCHER_CODE_KEYS, newest first: not SECRET_KEY, so rotating that never voids a printed voucher."""
    keys = [key for key in getattr(settings, "XIETONG_VOUCHER_CODE_KEYS", []) if key]
    if not keys:
        raise ImproperlyConfigured("XIETONG_VOUCHER_CODE_KEYS is empty: voucher codes cannot be signed")
    return keys


def _check(base: str, key: str) -> str:
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha256).hexdigest()
    return digest[:6].upper()


def voucher_code(*, issuer: str, year: int, serial: int) -> str:
    """A printable voucher code whose last group is an HMAC check (newest key), so a tampered code is caught
    before lookup."""
    base = f"XT-{issuer}-{year}-{serial:06d}"
    return f"{base}-{_check(base, _code_keys()[0])}"


def voucher_code_verify(code: str) -> str:
    """The normalised code if its check matches any configured key (older keys keep printed vouchers valid)."""
    text = (code or "").strip().upper()
    match = CODE_PATTERN.match(text)
    if match:
        base = text.rsplit("-", 1)[0]
        # every key is tried (no early exit), so the time taken does not tell which key matched
        matches = [hmac.compare_digest(_check(base, key), match.group(4)) for key in _code_keys()]
    if not match or not any(matches):
        raise BadVoucherCode(_("券码无效：格式或校验位不正确，请核对后重新输入"), field="voucher_code")
    return text


@lru_cache(maxsize=4096)
def settlement_region(code: str) -> str:
    """The region a provider settles under: its prefecture-level city, else its province (直辖市)."""
    chain = (code, *region_selectors.region_ancestor_codes(code))
    levels = dict(Region.objects.filter(code__in=chain).values_list("code", "level"))
    for candidate in chain:
        if levels.get(candidate) == RegionLevel.PREFECTURE:
            return candidate
    return chain[-1]


def programme_region_codes(programme) -> frozenset[str]:
    """Every region code the programme's issuer covers (its region's subtree, or its zone)."""
    if programme.issuer_zone_id:
        return region_selectors.zone_region_codes(programme.issuer_zone)
    return region_selectors.region_descendant_codes(programme.issuer_region_id)


def is_outside_issuer(programme, provider) -> bool:
    """通兑 pays across the issuer's border: a zone's programme always, a region's when the provider is outside it.

    This is the voucher rule of who settles with whom, not the platform's "cross-region" (different cities),
    which is `regions.selectors.is_cross_region`.
    """
    return bool(programme.issuer_zone_id) or provider.region_id not in programme_region_codes(programme)
