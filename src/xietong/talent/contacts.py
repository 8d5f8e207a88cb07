"""Masking of personal contacts: what a viewer the policy does not name sees instead of a phone or e-mail."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """Pure: keep the first three and last four digits (`13812341234` → `138****1234`).

    >>> mask_phone("13812341234")
    '138****1234'
    """
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_email(email: str) -> str:
    """Pure: keep the first character of the local part and the domain.

    >>> mask_email("zhang.wei@example.cn")
    'z***@example.cn'
    """
    email = (email or "").strip()
    if "@" not in email:
        return "***" if email else ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def contacts_for(profile, *, visible: bool) -> dict[str, str]:
    """Pure: the phone and e-mail a viewer sees, unmasked only when the policy said so."""
    if visible:
        return {"phone": profile.phone, "email": profile.email, "masked": False}
    return {"phone": mask_phone(profile.phone), "email": mask_email(profile.email), "masked": True}
