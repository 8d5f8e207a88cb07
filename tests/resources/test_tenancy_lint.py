"""The core tenancy lint, extended to this app's tenant-scoped models (resources and orders)."""

import re

from tests.core import test_tenancy_lint as lint

RESOURCE_MODELS = {
    "Resource",
    "ServiceOrder",
    "PriceList",
    "MaintenanceBlock",
    "OpeningHours",
    "ResourcePhoto",
}


def test_no_unscoped_reads_of_resources_or_orders(monkeypatch):
    models = sorted(lint.TENANT_MODELS | RESOURCE_MODELS)
    pattern = re.compile(r"\b(" + "|".join(models) + r")\.objects\.(get|filter)\(|get_object_or_404\(")
    monkeypatch.setattr(lint, "PATTERN", pattern)
    monkeypatch.setattr(lint, "SRC", lint.SRC / "resources")
    assert lint._violations() == []
