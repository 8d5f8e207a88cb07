"""One canonical form for usernames and display names, compared the same way everywhere.

Unicode lets one name be written many ways: `ADMIN`, `admin` followed by a zero-width space, or the
full-width `ａｄｍｉｎ` all look like `admin` to a reader. Registration, login and user creation compare
canonical forms, so a look-alike can neither take an existing name nor slip past the "taken" check.
Display names are shown beside every audit record and objection, so they may not claim a platform role
or copy another user's display name.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from xietong.core.errors import Conflict, Invalid
from xietong.core.roles import Role

MAX_USERNAME = 150
MAX_DISPLAY_NAME = 150
USERNAME_RE = re.compile(r"^[\w.@+-]{2,150}$")
# Words no display name may contain (case- and width-insensitive): they would claim an office or a role.
RESERVED_DISPLAY_WORDS = (
    *(r.label for r in (Role.PLATFORM_ADMIN, Role.ZONE_OFFICE, Role.REGION_BUREAU, Role.ORG_ADMIN)),
    "管理员", "科技局", "科技厅", "科委", "科技主管部门", "协同办", "合作办", "办公室", "官方", "客服", "平台",
    "administrator", "admin", "moderator", "official",
)  # fmt: skip
# Names no display name may be (whole name): too generic to belong to one person.
RESERVED_DISPLAY_NAMES = ("系统", "system", "root", "staff", "support", "anonymous", "匿名")


def _strip_invisible(text: str) -> str:
    """Drops format characters (Cf: zero-width space/joiners, BOM, bidi marks) and other controls."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cn"))


def canonical_username(raw: str) -> str:
    """The form a username is stored and compared in: NFKC, no invisible characters, trimmed, case-folded."""
    text = unicodedata.normalize("NFKC", _strip_invisible(str(raw or "")))
    return _strip_invisible(text).strip().casefold()


def clean_new_username(raw: str) -> str:
    """A username for a new account, or Invalid (400) with the reason in Chinese."""
    text = _strip_invisible(str(raw or "")).strip()
    if not text:
        raise Invalid(_("请填写用户名"), field="username")
    if unicodedata.normalize("NFKC", text) != text:
        raise Invalid(
            _("用户名请使用半角字母、数字或 @ . + - _（不能使用全角字符或兼容字符）"), field="username"
        )
    name = canonical_username(text)
    if not USERNAME_RE.fullmatch(name):
        raise Invalid(_("用户名应为 2–150 个字符，只能包含字母、数字、汉字和 @ . + - _"), field="username")
    return name


def username_taken_error(name: str) -> Conflict:
    return Conflict(_("用户名“%(name)s”已被使用") % {"name": name}, field="username")


def _display_key(text: str) -> str:
    """Compared form of a display name: NFKC, case-folded, without spaces, punctuation or invisibles."""
    text = unicodedata.normalize("NFKC", _strip_invisible(text)).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in ("L", "N"))


def clean_display_name(raw: str) -> str:
    """A display name: NFKC, invisibles removed, and no claim to a platform role. Invalid (400) otherwise."""
    text = " ".join(unicodedata.normalize("NFKC", _strip_invisible(str(raw or ""))).split())
    if not text:
        raise Invalid(_("请填写您的姓名"), field="display_name")
    if len(text) > MAX_DISPLAY_NAME:
        raise Invalid(
            _("姓名不能超过 %(MAX_DISPLAY_NAME)s 个字符") % {"MAX_DISPLAY_NAME": MAX_DISPLAY_NAME},
            field="display_name",
        )
    key = _display_key(text)
    if not key:
        raise Invalid(_("姓名应包含文字或数字"), field="display_name")
    claimed = [w for w in RESERVED_DISPLAY_WORDS if _display_key(w) in key]
    if claimed or key in {_display_key(n) for n in RESERVED_DISPLAY_NAMES}:
        raise Invalid(
            _("姓名不能使用“%(text)s”等平台角色或机构称谓，请填写您本人的姓名")
            % {"text": claimed[0] if claimed else text},
            field="display_name",
        )
    return text
