"""Every write of the sharing app (and the what-if, which writes nothing), one function per use case."""

from xietong.sharing.services.agreements import (
    agreement_create,
    enterprise_add,
    validate_rules,
    version_adopt,
    version_save_draft,
)
from xietong.sharing.services.records import record_enter, records_import
from xietong.sharing.services.settlement import settle, whatif

__all__ = [
    "agreement_create",
    "enterprise_add",
    "record_enter",
    "records_import",
    "settle",
    "validate_rules",
    "version_adopt",
    "version_save_draft",
    "whatif",
]
