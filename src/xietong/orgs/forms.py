"""Forms of the organisation pages (directory, registration, review, import)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xietong.core.choice_labels import translated
from xietong.orgs.enums import Industry, OrgKind, OrgStatus
from xietong.regions import selectors as region_selectors

BLANK = [("", _("全部"))]


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("名称或信用代码"), required=False, max_length=60)
    region = forms.RegexField(label=_("地区代码"), regex=r"^\d{6}$", required=False,
                              error_messages={"invalid": _("地区代码应为 6 位数字")})  # fmt: skip
    region_q = forms.CharField(label=_("地区"), required=False, max_length=40)
    zone = forms.CharField(label=_("协同区"), required=False, max_length=40)
    kind = forms.ChoiceField(label=_("机构类型"), choices=BLANK + translated(OrgKind.choices), required=False)
    industry = forms.ChoiceField(
        label=_("行业"), choices=BLANK + translated(Industry.choices), required=False
    )
    status = forms.ChoiceField(label=_("状态"), choices=BLANK + translated(OrgStatus.choices), required=False)
    is_high_tech = forms.BooleanField(label=_("高新技术企业"), required=False)
    is_tech_sme = forms.BooleanField(label=_("科技型中小企业"), required=False)
    is_little_giant = forms.BooleanField(label=_("专精特新“小巨人”"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    resolved_region = None

    def clean(self):
        """What was typed in the region box wins over the hidden code (it may be stale after an edit)."""
        data = super().clean()
        typed = data.get("region_q") or ""
        if typed.strip():
            self.resolved_region = region_selectors.region_resolve(typed)
            if self.resolved_region is None:
                self.add_error(
                    "region_q",
                    _("找不到地区“%(typed)s”，请从提示中选择，或填写地区全称、拼音或 6 位区划代码")
                    % {"typed": typed.strip()},
                )
            else:
                data["region"] = self.resolved_region.code
        return data

    def filters(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("page", None)
        data.pop("region_q", None)
        for flag in ("is_high_tech", "is_tech_sme", "is_little_giant"):
            data[flag] = True if data.get(flag) else None
        return data


class RegistrationForm(forms.Form):
    username = forms.CharField(label=_("登录用户名"), max_length=150)
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput, max_length=128, help_text=_("至少 8 位")
    )
    display_name = forms.CharField(label=_("您的姓名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    name = forms.CharField(label=_("企业名称"), max_length=120)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    region = forms.CharField(
        label=_("所在地区"), max_length=60, help_text=_("6 位行政区划代码，或完整地区名称，如“昆山市”")
    )
    industry = forms.ChoiceField(
        label=_("所属行业"), choices=[("", _("请选择")), *translated(Industry.choices)], required=False
    )
    is_high_tech = forms.BooleanField(label=_("高新技术企业"), required=False)
    is_tech_sme = forms.BooleanField(label=_("科技型中小企业"), required=False)
    is_little_giant = forms.BooleanField(label=_("专精特新“小巨人”"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    description = forms.CharField(
        label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("reject", "驳回")])
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False)


class SuspendForm(forms.Form):
    """The reason for suspending (required by the service, which words the message) or reinstating."""

    note = forms.CharField(label=_("理由"), max_length=300, required=False, strip=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
