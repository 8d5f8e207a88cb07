from django import forms

from xietong.core.errors import Invalid
from xietong.core.money import yuan_to_fen


class YuanField(forms.CharField):
    """An amount typed in 元, cleaned to integer 分."""

    def clean(self, value):
        text = super().clean(value)
        try:
            return yuan_to_fen(text)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from exc


class ApplyForm(forms.Form):
    enterprise = forms.TypedChoiceField(label="申领单位", coerce=int)
    amount = YuanField(label="申领金额（元）", max_length=20)
    purpose = forms.CharField(label="用途说明", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("reject", "驳回")])
    note = forms.CharField(required=False, max_length=300)


class UseForm(forms.Form):
    order_id = forms.IntegerField(label="订单编号（ID）", min_value=1)
    amount = YuanField(label="抵扣金额（元）", max_length=20)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class ClaimForm(forms.Form):
    contract = forms.FileField(label="服务合同", required=False)
    invoice = forms.FileField(label="发票")
    payment = forms.FileField(label="付款凭证", required=False)
    report = forms.FileField(label="服务报告", required=False)
    note = forms.CharField(label="说明", required=False, max_length=500)


class ReferenceForm(forms.Form):
    reference = forms.CharField(label="支付凭证号", max_length=60, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label="异议内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
