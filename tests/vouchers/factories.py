"""Small builders for voucher tests: programmes through the service, orders created directly."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.files import png_bytes
from xietong.core import clock
from xietong.core.actor import SYSTEM
from xietong.resources.enums import CustomerClass, OrderKind, OrderStatus, ResourceKind
from xietong.resources.models import Category, Resource, ServiceOrder
from xietong.vouchers import services
from xietong.vouchers.enums import Mode, ProviderScope

_numbers = itertools.count(1)
PDF = b"%PDF-1.4\n% voucher evidence\n" + b"0" * 64
PNG = png_bytes()


def programme(*, actor=SYSTEM, **overrides):
    today = clock.today()  # the platform's date, so a test on the frozen clock gets an open programme
    data = {
        "name": "嘉兴市科技创新券（通兑）",
        "code": f"jx-td-{next(_numbers)}",
        "mode": Mode.TONGDUI,
        "issuer_region": "330400",
        "year": today.year,
        "budget_fen": 10_000_000,  # 10 万元
        "applications_open_on": today - timedelta(days=1),
        "applications_close_on": today + timedelta(days=30),
        "per_application_cap_fen": 3_000_000,
        "per_firm_year_cap_fen": 5_000_000,
        "subsidy_ratio_bp": 5_000,
        "full_subsidy_below_fen": 100_000,  # orders under 1 000 元 are covered in full
        "provider_scope": ProviderScope.ZONE,
        "provider_zone": "yrd",
        "use_deadline": today + timedelta(days=90),
        "redemption_deadline": today + timedelta(days=120),
        "publicity_days": 5,
    }
    data.update(overrides)
    return services.programme_create(actor=actor, data=data)


def resource(*, owner, kind=ResourceKind.SERVICE, name="扫描电镜检测"):
    category, _ = Category.objects.get_or_create(code="T-VOUCHER", defaults={"name": "测试类别"})
    return Resource.objects.create(
        owner=owner, region_id=owner.region_id, category=category, kind=kind, name=name
    )


def order(*, provider, customer, quoted_fen, status=OrderStatus.CONFIRMED, res=None):
    res = res or resource(owner=provider)
    return ServiceOrder.objects.create(
        number=f"T{next(_numbers):08d}",
        kind=OrderKind.SAMPLE,
        resource=res,
        provider=provider,
        customer=customer,
        customer_class=CustomerClass.OTHER,
        status=status,
        sample_count=1,
        quoted_fen=quoted_fen,
    )


def complete(order, *, actual_fen=None):
    order.status = OrderStatus.COMPLETED
    order.actual_fen = actual_fen
    order.completed_at = timezone.now()
    order.save(update_fields=["status", "actual_fen", "completed_at"])
    return services.on_order_completed(order=order)


def evidence(*, invoice=True):
    files = [("contract", SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf"))]
    if invoice:
        files.append(("invoice", SimpleUploadedFile("发票.png", PNG, content_type="image/png")))
    return files
