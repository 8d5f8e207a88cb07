"""Page forms: parse query strings and posts; the services do the validating that matters."""

from __future__ import annotations

from django import forms

from xietong.core.money import yuan_to_fen
from xietong.resources.enums import OrderStatus, ResourceKind

BLANK = [("", "全部")]


class CatalogueForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=60)
    zone = forms.CharField(label="协同区", required=False, max_length=40)
    category = forms.CharField(label="类别", required=False, max_length=20)
    region = forms.RegexField(label="地区代码", regex=r"^\d{6}$", required=False,
                              error_messages={"invalid": "地区代码应为 6 位数字"})  # fmt: skip
    kind = forms.ChoiceField(label="类型", choices=BLANK + ResourceKind.choices, required=False)
    recognised = forms.BooleanField(label="报告在本地区互认", required=False)
    price_max = forms.DecimalField(
        label="公开价上限（元）", required=False, min_value=0, max_value=10**9, decimal_places=2
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
    day = forms.DateField(label="日期")
    start = forms.TimeField(label="开始时间")
    end = forms.TimeField(label="结束时间")
    note = forms.CharField(label="备注", required=False, max_length=500)


class SampleForm(forms.Form):
    samples = forms.IntegerField(label="样品数", min_value=1, max_value=1000)
    note = forms.CharField(label="备注", required=False, max_length=500)


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=BLANK + OrderStatus.choices, required=False)
    q = forms.CharField(label="订单号/资源/客户", required=False, max_length=40)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class UsageForm(forms.Form):
    minutes = forms.IntegerField(label="实际机时（分钟）", required=False, min_value=1, max_value=1440)
    samples = forms.IntegerField(label="实际样品数", required=False, min_value=1, max_value=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", required=False, max_length=300)


class ReportForm(forms.Form):
    file = forms.FileField(label="结果报告（PDF/JPG/PNG）")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="导入内容", choices=[("resources", "资源"), ("prices", "价目表")])
    file = forms.FileField(label="Excel 文件（.xlsx）")
