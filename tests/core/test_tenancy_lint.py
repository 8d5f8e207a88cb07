"""Tenant-scoped models are read only through actor-scoped selectors; a deliberate exception says why."""

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "xietong"
TENANT_MODELS = {
    "Organisation", "Membership", "ApiToken", "AuditEvent",
    "Application", "Grant", "Redemption", "Statement", "ServiceOrder",
    "Framework", "FrameworkVersion", "Dataset", "Run",
    "Achievement", "Demand", "AcceptanceList", "Intent", "Contract", "Recommendation",
    "Resource", "PriceList", "MaintenanceBlock", "OpeningHours", "ResourcePhoto",
}  # fmt: skip
SCANNED = ("api.py", "views.py", "services.py")
PATTERN = re.compile(
    r"\b(" + "|".join(sorted(TENANT_MODELS)) + r")\.objects\.(get|filter|select_related|select_for_update)\("
    r"|get_object_or_404\("
)


def _violations() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        scanned = path.name in SCANNED or path.stem.endswith(("_views", "_api"))
        if not scanned and path.parent.name not in {"services", "api", "views"}:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            previous = lines[number - 2] if number > 1 else ""
            if PATTERN.search(line) and "# tenancy-ok:" not in line and "# tenancy-ok:" not in previous:
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    return found


def test_no_unscoped_reads_of_tenant_models():
    assert _violations() == []


def test_the_lint_catches_an_unscoped_read(tmp_path, monkeypatch):
    # given a services.py with an unscoped read
    fake = tmp_path / "xietong" / "demoapp"
    fake.mkdir(parents=True)
    (fake / "services.py").write_text(
        "x = Organisation.objects.get(pk=1)\ny = Organisation.objects.filter(pk=1)  # tenancy-ok: test\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path / "xietong")
    # then exactly the first line is reported
    assert _violations() == ["demoapp/services.py:1: x = Organisation.objects.get(pk=1)"]
