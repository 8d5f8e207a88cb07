"""Personal data shown only to those who may see it; everyone else gets a masked form."""

from __future__ import annotations


def mask_phone(value: str) -> str:
    digits = value.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_email(value: str) -> str:
    if "@" not in value:
        return "***"
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_name(value: str) -> str:
    return (value[:1] + "*" * (len(value) - 1)) if value else ""
