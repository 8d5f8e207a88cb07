"""The pages walk: a party's bureau sets up, imports, settles, downloads; the other party sees the same."""

import io

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.clients import client_for
from tests.sharing.conftest import CHONGQING, SICHUAN, rows
from xietong.core.excel import write_workbook
from xietong.ledger.models import Posting
from xietong.sharing import services
from xietong.sharing.excel import REVENUE_COLUMNS
from xietong.sharing.models import RevenueRecord, Settlement


def _xlsx(data):
    content = write_workbook(title="收入", columns=REVENUE_COLUMNS, rows=data)
    upload = io.BytesIO(content)
    upload.name = "revenue.xlsx"
    return upload


def test_every_page_renders_for_a_party_bureau(park, people, sc):
    services.records_import(actor=sc, agreement=park, rows=rows(("甲公司", "增值税", "2025-01", "100.00")))
    [s] = services.settle(actor=sc, agreement=park)
    client = client_for(people["sc"])
    enterprise = park.enterprises.get(name="甲公司")
    for url in [
        "/sharing/", "/sharing/new/", "/sharing/income/", f"/sharing/{park.pk}/", f"/sharing/{park.pk}/rules/",
        f"/sharing/{park.pk}/enterprises/", f"/sharing/{park.pk}/records/", f"/sharing/settlements/{s.pk}/",
        f"/sharing/{park.pk}/statement/?party={SICHUAN}&year=2025", f"/sharing/{park.pk}/enterprises/{enterprise.pk}/?year=2025",
    ]:  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_import_settle_and_download_and_the_other_party_sees_the_same(park, people):
    # given 四川's bureau imports a quarter
    client = client_for(people["sc"])
    upload = _xlsx([["甲公司", "增值税", f"2025-0{m}", "1000.01"] for m in (1, 2, 3)])
    response = client.post(f"/sharing/{park.pk}/records/", {"file": upload})
    assert response.status_code == 302
    assert RevenueRecord.objects.count() == 3
    # when it settles
    assert client.post(f"/sharing/{park.pk}/settle/", {"period": ""}).status_code == 302
    assert Settlement.objects.count() == 3
    # then both parties' statements agree with the ledger
    xlsx = client.get(f"/sharing/{park.pk}/statement.xlsx?party={SICHUAN}&year=2025")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sum(float(r[3]) for r in sheet.iter_rows(min_row=2, values_only=True)) == 1500.02
    pdf = client.get(f"/sharing/{park.pk}/statement.pdf?party={SICHUAN}&year=2025")
    assert pdf.content[:5] == b"%PDF-"
    other = client_for(people["cq"]).get(f"/sharing/{park.pk}/statement/?party={CHONGQING}&year=2025")
    assert "1,500.01 元" in other.content.decode()


def test_a_malformed_workbook_is_refused_in_chinese_and_nothing_is_written(park, people):
    client = client_for(people["sc"])
    bad = io.BytesIO(b"PK\x03\x04 not really a zip")
    bad.name = "bad.xlsx"
    response = client.post(f"/sharing/{park.pk}/records/", {"file": bad})
    assert response.status_code == 400
    assert "工作簿" in response.content.decode() or "文件" in response.content.decode()
    assert RevenueRecord.objects.count() == 0


def test_a_workbook_without_the_headers_is_refused(park, people):
    wb = Workbook()
    wb.active.append(["名字", "钱"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "x.xlsx"
    response = client_for(people["sc"]).post(f"/sharing/{park.pk}/records/", {"file": buffer})
    assert response.status_code == 400
    assert "表头缺少必填列" in response.content.decode()
    assert RevenueRecord.objects.count() == 0


def test_a_csv_import_works_and_outside_enterprises_are_listed(park, people):
    csv = io.BytesIO(
        "企业名称,收入类型,期间,金额（元）\n甲公司,增值税,2025-01,1\n丁公司,增值税,2025-01,2\n".encode()
    )
    csv.name = "r.csv"
    response = client_for(people["sc"]).post(f"/sharing/{park.pk}/records/", {"file": csv})
    assert response.status_code == 400
    assert "丁公司" in response.content.decode()
    assert RevenueRecord.objects.count() == 0


def test_the_editor_saves_and_adopts(park, people):
    import json

    client = client_for(people["cq"])
    rules = [{"revenue_type": "*", "method": "proportional", "ratios": {SICHUAN: "6", CHONGQING: "4"}}]
    response = client.post(
        f"/sharing/{park.pk}/rules/",
        {"rules": json.dumps(rules), "action": "adopt", "effective_from": "2026-01"},
    )
    assert response.status_code == 302
    assert park.versions.get(status="active").rules[0]["ratios"] == [[SICHUAN, "6"], [CHONGQING, "4"]]
    bad = client.post(
        f"/sharing/{park.pk}/rules/",
        {"rules": json.dumps([{"method": "proportional", "ratios": {SICHUAN: 0}}]), "action": "save"},
    )
    assert bad.status_code == 400
    assert "没有大于零的权重" in bad.content.decode()


def test_zone_office_sees_aggregates_but_not_records(park, people):
    client = client_for(people["zone"])
    assert client.get(f"/sharing/{park.pk}/").status_code == 200
    assert client.get(f"/sharing/{park.pk}/records/").status_code == 403
    assert client.get(f"/sharing/{park.pk}/enterprises/").status_code == 403
    assert client_for(people["bj"]).get(f"/sharing/{park.pk}/").status_code == 404


def test_the_statement_reads_in_english_on_the_page_and_in_the_workbook(park, people, settings):
    # given a settled quarter
    client = client_for(people["sc"])
    client.post(f"/sharing/{park.pk}/records/", {"file": _xlsx([["甲公司", "增值税", "2025-01", "1000.01"]])})
    client.post(f"/sharing/{park.pk}/settle/", {"period": ""})
    # when the bureau reads its statement in English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/sharing/{park.pk}/statement/?party={SICHUAN}&year=2025").content.decode()
    xlsx = client.get(f"/sharing/{park.pk}/statement.xlsx?party={SICHUAN}&year=2025")
    # then the labels the code gives (types, parts, run kinds, headers) are English, the data is unchanged
    assert "<td>VAT</td>" in page and "<td>Increment</td>" in page and "<td>Settlement</td>" in page
    assert "增值税" not in page and "增量" not in page
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "Summary"
    assert next(book.worksheets[0].iter_rows(max_row=1, values_only=True))[:3] == (
        "Period",
        "Revenue type",
        "Part",
    )
    assert {row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)} == {"VAT"}


def test_settlement_entries_are_named_by_period_day_and_amount_not_by_ledger_id(park, people, settings):
    # given a settled month (its ledger entry has an id no user can look up)
    client = client_for(people["sc"])
    client.post(f"/sharing/{park.pk}/records/", {"file": _xlsx([["甲公司", "增值税", "2025-01", "1000.01"]])})
    client.post(f"/sharing/{park.pk}/settle/", {"period": ""})
    [settlement] = Settlement.objects.all()
    debits = sum(p.amount_fen for p in Posting.objects.filter(entry_id=settlement.entry_id, amount_fen__gt=0))
    day = timezone.localtime(settlement.created_at).strftime("%Y-%m-%d")
    amount = f"{debits / 100:,.2f}"
    urls = [
        f"/sharing/{park.pk}/",
        f"/sharing/settlements/{settlement.pk}/",
        f"/sharing/{park.pk}/statement/?party={SICHUAN}&year=2025",
    ]
    # when the pages are read in Chinese, then the entry is the run's period, day and booked amount
    for url in urls:
        page = client.get(url).content.decode()
        assert f"2025-01 结算（{day}，记账 {amount} 元）" in page, url
        assert f"#{settlement.entry_id}<" not in page and f"#{settlement.entry_id} " not in page, url
    # and in English the same reference reads in English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in urls:
        page = client.get(url).content.decode()
        assert f"2025-01 Settlement ({day}, {amount} yuan booked)" in page, url
