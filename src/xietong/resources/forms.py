"""Page forms: parse query strings and posts; the services do the validating that matters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xietong.core.choice_labels import translated
from xietong.core.ids import MAX_ID
from xietong.core.money import yuan_to_fen
from xietong.resources.enums import CLASS_FALLBACK, CustomerClass, OrderStatus, ResourceKind

BLANK = [("", _("全部"))]


class CatalogueForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=60)
    zone = forms.CharField(label=_("协同区"), required=False, max_length=40)
    category = forms.CharField(label=_("类别"), required=False, max_length=20)
    region = forms.CharField(label=_("地区"), required=False, max_length=30)  # a name, pinyin or 6-digit code
    near = forms.CharField(label=_("离此地最近"), required=False, max_length=30)
    kind = forms.ChoiceField(
        label=_("类型"), choices=BLANK + translated(ResourceKind.choices), required=False
    )
    recognised = forms.BooleanField(label=_("报告在本地区互认"), required=False)
    price_max = forms.DecimalField(
        label=_("公开价上限（元）"), required=False, min_value=0, max_value=10**9, decimal_places=2
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def filters(self, *, my_region: str = "") -> dict:
        data = dict(self.cleaned_data)
        price = data.pop("price_max")
        data.pop("page", None)
        data.pop("recognised")
        data["price_max_fen"] = yuan_to_fen(price) if price is not None else None
        data["recognised_in"] = my_region
        return data


class BookingForm(forms.Form):
    day = forms.DateField(label=_("日期"))
    start = forms.TimeField(label=_("开始时间"))
    end = forms.TimeField(label=_("结束时间"))
    note = forms.CharField(label=_("备注"), required=False, max_length=500)


class SampleForm(forms.Form):
    samples = forms.IntegerField(label=_("样品数"), min_value=1, max_value=1000)
    note = forms.CharField(label=_("备注"), required=False, max_length=500)


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=BLANK + translated(OrderStatus.choices), required=False
    )
    q = forms.CharField(label=_("订单号/资源/客户"), required=False, max_length=40)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class UsageForm(forms.Form):
    minutes = forms.IntegerField(label=_("实际机时（分钟）"), required=False, min_value=1, max_value=1440)
    samples = forms.IntegerField(label=_("实际样品数"), required=False, min_value=1, max_value=1000)


class ReportForm(forms.Form):
    file = forms.FileField(label=_("结果报告（PDF/JPG/PNG）"))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=[("resources", "资源"), ("prices", "价目表")])
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


# ---------------------------------------------------------------- provider pages (edit_views.py)


def _text(label: str, max_length: int) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


class ResourceForm(forms.Form):
    """The fields of the API's ResourceIn as text: only shape here (lengths, no NUL); the service judges values.

    Without `is_new` the form edits an existing resource: no owner, and the kind stays as registered.
    """

    owner_id = forms.IntegerField(label=_("所属机构"), min_value=1, max_value=MAX_ID,
                                  error_messages={"required": _("请选择所属机构")})  # fmt: skip
    kind = _text("类型", 20)
    name = _text("名称", 120)
    category = _text("类别", 60)
    region = _text("所在地区", 60)
    model_number = _text("规格型号", 80)
    manufacturer = _text("生产厂商", 80)
    original_value = forms.DecimalField(
        label=_("原值（元）"), required=False, max_digits=14, decimal_places=2
    )
    specs = _text("主要技术指标", 4000)
    description = _text("服务内容与简介", 4000)
    address = _text("存放地点", 200)
    asset_code = _text("资产编号", 40)
    lng = _text("经度", 20)
    lat = _text("纬度", 20)
    open_status = _text("开放状态", 20)
    is_cma = forms.BooleanField(label="CMA", required=False)
    is_cnas = forms.BooleanField(label="CNAS", required=False)
    requires_approval = forms.BooleanField(label=_("预约需确认"), required=False)
    capacity = _text("容量", 12)
    advance_days = _text("最长提前预约天数", 12)
    min_notice_hours = _text("最短提前预约小时数", 12)
    max_booking_hours = _text("单次预约最长小时数", 12)
    free_cancel_hours = _text("免费取消提前小时数", 12)
    late_cancel_percent = _text("迟取消费比例", 12)
    no_show_percent = _text("爽约费比例", 12)

    def __init__(self, *args, is_new: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not is_new:
            del self.fields["owner_id"], self.fields["kind"]

    def raw(self) -> dict:
        """The `raw` (or `changes`) dict of services.resource_create / resource_update.

        A text field missing from the post is left out (kept, or its default); an unticked box is False.
        """
        data = {key: value for key, value in self.cleaned_data.items()
                if key in self.data or isinstance(self.fields[key], forms.BooleanField)}  # fmt: skip
        data.pop("owner_id", None)
        if "original_value" in data:
            value = data.pop("original_value")
            data["original_value"] = "" if value is None else str(value)
        data["recognised_zones"] = [str(z)[:40] for z in self.data.getlist("recognised_zones")[:20]]
        return data


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("图片"), error_messages={"required": _("请选择文件"), "empty": _("文件为空")}
    )
    caption = _text("说明", 80)


MAX_PRICE_WINDOWS = 36  # 40 tiers at most, four of them the classes' all-week base prices
WINDOW_KEYS = ("class", "weekdays", "start", "end", "price")


class PriceListForm(forms.Form):
    """A new price list: a base price per customer class plus optional windows (rows w<i>_class … w<i>_price).

    Amounts stay text in 元 for `services.price_list_set` (validation.clean_price_list parses and judges them).
    """

    unit = _text("计价方式", 10)
    rounding = _text("金额取整", 6)
    increment_minutes = _text("计时单位（分钟）", 6)
    minimum_charge = _text("最低收费（元）", 20)
    valid_from = forms.DateField(label=_("生效日期"), required=False)
    price_own_org = _text(CustomerClass.OWN_ORG.label, 20)
    price_same_region = _text(CustomerClass.SAME_REGION.label, 20)
    price_same_zone = _text(CustomerClass.SAME_ZONE.label, 20)
    price_other = _text(CustomerClass.OTHER.label, 20)

    def windows(self) -> list[dict[str, str]]:
        """The posted window rows (blank ones too, for showing the form again)."""
        rows = []
        for i in range(MAX_PRICE_WINDOWS):
            if f"w{i}_price" in self.data:
                rows.append({key: str(self.data.get(f"w{i}_{key}", "")).strip()[:20] for key in WINDOW_KEYS})
        return rows

    def raw(self) -> dict:
        data = self.cleaned_data
        tiers = [
            {"customer_class": str(klass), "unit_price": data[f"price_{klass}"]}
            for klass in reversed(CLASS_FALLBACK)
            if data[f"price_{klass}"]
        ]
        for row in self.windows():
            if any(row[key] for key in ("weekdays", "start", "end", "price")):
                tiers.append({"customer_class": row["class"], "weekdays": row["weekdays"], "start": row["start"],
                              "end": row["end"], "unit_price": row["price"]})  # fmt: skip
        return {
            "unit": data["unit"], "rounding": data["rounding"], "increment_minutes": data["increment_minutes"],
            "minimum_charge": data["minimum_charge"], "valid_from": data["valid_from"], "tiers": tiers,
        }  # fmt: skip
