from django import forms
from django.utils.translation import gettext_lazy as _

from xietong.core.choice_labels import translated
from xietong.core.errors import Invalid
from xietong.core.money import yuan_to_fen
from xietong.resources.enums import ResourceKind
from xietong.vouchers.enums import Mode, ProviderScope, ReviewLevels


class YuanField(forms.CharField):
    """An amount typed in 元, cleaned to integer 分."""

    def clean(self, value):
        text = super().clean(value)
        if not text and not self.required:
            return None
        try:
            return yuan_to_fen(text)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from exc


class ApplyForm(forms.Form):
    enterprise = forms.TypedChoiceField(
        label=_("申领单位"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    amount = YuanField(
        label=_("申领金额（元）"), max_length=20, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    purpose = forms.CharField(
        label=_("用途说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("reject", "驳回")])
    note = forms.CharField(required=False, max_length=300)


class UseForm(forms.Form):
    order_id = forms.IntegerField(label=_("订单"), min_value=1, error_messages={"required": _("请选择订单")})
    amount = YuanField(label=_("抵扣金额（元）"), max_length=20)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class ClaimForm(forms.Form):
    contract = forms.FileField(label=_("服务合同"), required=False)
    invoice = forms.FileField(label=_("发票"))
    payment = forms.FileField(label=_("付款凭证"), required=False)
    report = forms.FileField(label=_("服务报告"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class ReferenceForm(forms.Form):
    reference = forms.CharField(label=_("支付凭证号"), max_length=60, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class OrderUseForm(forms.Form):
    """The “使用创新券” panel on an order page."""

    grant = forms.IntegerField(min_value=1)
    amount = YuanField(label=_("抵扣金额（元）"), max_length=20)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class PartnerForm(forms.Form):
    credit_code = forms.CharField(
        label=_("被邀请企业的统一社会信用代码"), min_length=18, max_length=18, strip=True
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(choices=[("upheld", "异议成立"), ("dismissed", "异议不成立")])
    note = forms.CharField(max_length=300)


DATE = forms.DateInput(attrs={"type": "date"})


class PercentField(forms.DecimalField):
    """A percentage typed as 50 or 12.5, cleaned to 万分比 (basis points)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=0, max_value=100, **kwargs)

    def clean(self, value):
        number = super().clean(value)
        return None if number is None else int(number * 100)


class IssuerField(forms.ChoiceField):
    """R:<region code> or Z:<zone code>; the choices offered are the actor's, the service decides who may issue."""

    def valid_value(self, value) -> bool:
        kind, _, code = str(value).partition(":")
        return kind in ("R", "Z") and 0 < len(code) <= 40


class ProgrammeForm(forms.Form):
    """Set up a programme (科技主管部门 or 协同区办公室); the rules live in `services.programme_create`."""

    name = forms.CharField(label=_("方案名称"), max_length=120)
    code = forms.CharField(label=_("方案代码（小写字母、数字、连字符）"), max_length=40)
    mode = forms.ChoiceField(label=_("跨区模式"), choices=translated(Mode.choices))
    issuer = IssuerField(label=_("发券方"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    budget = YuanField(label=_("预算（元）"), max_length=20)
    applications_open_on = forms.DateField(label=_("申领开始"), widget=DATE)
    applications_close_on = forms.DateField(label=_("申领截止"), widget=DATE)
    per_application_cap = YuanField(label=_("单次申领上限（元）"), max_length=20)
    per_firm_year_cap = YuanField(label=_("每家企业年度上限（元）"), max_length=20)
    subsidy_ratio = PercentField(label=_("补贴比例（%）"))
    full_subsidy_below = YuanField(
        label=_("全额补贴门槛（元，订单金额低于此值全额抵扣，可留空）"), max_length=20, required=False
    )
    provider_scope = forms.ChoiceField(label=_("服务机构范围"), choices=translated(ProviderScope.choices))
    review_levels = forms.ChoiceField(
        label=_("审核方式（分级审核时由申领企业所在区县/市先审）"),
        choices=translated(ReviewLevels.choices),
        required=False,
    )
    provider_zone = forms.ChoiceField(label=_("认可协同区（范围为协同区内时必选）"), required=False)
    named_providers = forms.CharField(
        label=_("指定服务机构的统一社会信用代码（每行一个，范围为指定服务机构时必填）"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    service_kinds = forms.MultipleChoiceField(
        label=_("服务类型（不选为全部）"),
        choices=translated(ResourceKind.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    use_deadline = forms.DateField(label=_("使用截止"), widget=DATE)
    redemption_deadline = forms.DateField(label=_("兑付申请截止"), widget=DATE)
    forfeit_lapse = PercentField(label=_("失效比例超过此值次年不得申领（%，可留空）"), required=False)
    publicity_days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=60, initial=7)
    require_tech_sme = forms.BooleanField(label=_("限科技型中小企业"), required=False)
    require_high_tech = forms.BooleanField(label=_("限高新技术企业"), required=False)
    require_little_giant = forms.BooleanField(label=_("限专精特新“小巨人”"), required=False)

    def service_data(self) -> dict:
        """The cleaned form as the service's `data` (amounts in 分, ratios in 万分比)."""
        d = self.cleaned_data
        kind, _, issuer = d["issuer"].partition(":")
        return {
            "name": d["name"], "code": d["code"], "mode": d["mode"],
            "issuer_region": issuer if kind == "R" else None, "issuer_zone": issuer if kind == "Z" else None,
            "year": d["year"], "budget_fen": d["budget"], "applications_open_on": d["applications_open_on"],
            "applications_close_on": d["applications_close_on"], "per_application_cap_fen": d["per_application_cap"],
            "per_firm_year_cap_fen": d["per_firm_year_cap"], "subsidy_ratio_bp": d["subsidy_ratio"],
            "full_subsidy_below_fen": d.get("full_subsidy_below") or 0, "provider_scope": d["provider_scope"],
            "provider_zone": d.get("provider_zone") or None, "service_kinds": d.get("service_kinds") or [],
            "use_deadline": d["use_deadline"], "redemption_deadline": d["redemption_deadline"],
            "forfeit_lapse_bp": d.get("forfeit_lapse") or 0, "publicity_days": d["publicity_days"],
            "require_tech_sme": d["require_tech_sme"], "require_high_tech": d["require_high_tech"],
            "require_little_giant": d["require_little_giant"], "review_levels": d.get("review_levels") or "",
        }  # fmt: skip

    def provider_codes(self) -> list[str]:
        return [line for line in (self.cleaned_data.get("named_providers") or "").split() if line]
