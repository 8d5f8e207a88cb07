"""Choice labels shown in the reader's language.

The apps' `TextChoices` labels are Chinese source text, and stay plain strings: imports match them, the search
index and exports of record use them. Where a person reads one (`get_<field>_display()` on pages and in the
API, a form's select) it goes through the catalogue, so the English UI reads "Confirmed", not "已确认". The
labels' English lives in tools/i18n/*.json like every other msgid.
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.utils.translation import gettext, gettext_lazy


def _display(self, field) -> str:
    label = self._get_FIELD_display(field)
    return gettext(label) if isinstance(label, str) and label else label


def install() -> None:
    """Make every model's `get_<field>_display()` translate its label (called once from `CoreConfig.ready`)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices and name in model.__dict__:
                setattr(model, name, partialmethod(_display, field=field))


def translated(choices) -> list[tuple[str, object]]:
    """A form field's choices with lazily translated labels (the values unchanged)."""
    return [(value, gettext_lazy(label) if label else label) for value, label in choices]
