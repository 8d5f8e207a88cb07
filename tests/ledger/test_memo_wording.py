"""A memo given as a `core.wording.Wording` is stored in Chinese (the record) with its template and parameters,
and shown in the reader's language; a plain memo shows as stored."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_noop

from xietong.core.actor import SYSTEM
from xietong.core.wording import Wording
from xietong.ledger import selectors, services

ISSUED = gettext_noop("发放创新券 %(code)s")


def _post(books, memo):
    return services.post_entry(
        kind="fund", postings=[(books["budget"], 5), (books["funding"], -5)], actor=SYSTEM, memo=memo
    )


def test_a_worded_memo_keeps_chinese_and_its_template(books):
    with translation.override("en"):
        entry = _post(books, Wording(ISSUED, {"code": "CQ-2026-001"}))
    entry.refresh_from_db()
    assert entry.memo == "发放创新券 CQ-2026-001"
    assert entry.data == {"memo": {"template": ISSUED, "params": {"code": "CQ-2026-001"}}}


def test_the_memo_is_shown_in_the_readers_language(books):
    _post(books, Wording(ISSUED, {"code": "CQ-2026-001"}))
    _post(books, "旧摘要")
    with translation.override("en"):
        memos = [line.memo for line in selectors.account_history(books["budget"])]
        shown = [p.entry.shown_memo for p in books["budget"].postings.order_by("id").select_related("entry")]
    assert memos == shown == ["Voucher CQ-2026-001 issued", "旧摘要"]
    with translation.override("zh-hans"):
        assert [line.memo for line in selectors.account_history(books["budget"])] == [
            "发放创新券 CQ-2026-001",
            "旧摘要",
        ]


def test_a_reversal_memo_is_worded(books, fund):
    entry = fund(7)
    reversal = services.reverse_entry(entry=entry, actor=SYSTEM)
    assert reversal.memo == f"冲销分录 #{entry.pk}"
    with translation.override("en"):
        assert reversal.shown_memo == f"Reversal of entry #{entry.pk}"
