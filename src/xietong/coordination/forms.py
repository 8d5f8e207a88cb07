"""Page forms: they parse types (dates, numbers, files); the services decide what is allowed."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext

from xietong.coordination.enums import MajorItemStatus, MetricScopeKind
from xietong.coordination.services import TaskInput
from xietong.core.errors import Invalid
from xietong.core.ids import MAX_ID


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def cleaned(form: forms.Form) -> dict:
    """The form's data, or Invalid carrying the first message (Chinese, from the field or Django's locale)."""
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        raise Invalid(f"{label}：{errors[0]}" if label else errors[0], field=field)
    return form.cleaned_data


def _milestones(text: str) -> list[tuple[str, date]]:
    """One milestone a line: "名称 | 2026-06-30"."""
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, _, due = line.rpartition("|")
        try:
            out.append((title.strip(), date.fromisoformat(due.strip())))
        except ValueError as exc:
            raise Invalid(
                gettext("第 %(number)s 个节点格式应为“名称 | 2026-06-30”") % {"number": number},
                field="milestones",
            ) from exc
    return out


class TaskForm(forms.Form):
    title = forms.CharField(label="事项名称", max_length=160)
    lead_unit = forms.CharField(label="牵头单位", max_length=80)
    co_units = forms.TypedMultipleChoiceField(label="配合单位", required=False, coerce=int, choices=())
    owner_name = forms.CharField(label="责任人", max_length=40, required=False)
    start_on = forms.DateField(label="开始日期")
    deadline = forms.DateField(label="完成时限")
    description = forms.CharField(label="工作要求", required=False, max_length=20_000)
    milestones = forms.CharField(label="节点", required=False, max_length=4000)
    metric_key = forms.CharField(label="平台指标", required=False, max_length=60)
    metric_scope_kind = forms.ChoiceField(
        label="指标范围", required=False, choices=[("", ""), *MetricScopeKind.choices]
    )
    metric_scope = forms.CharField(label="范围代码", required=False, max_length=40)
    metric_target = forms.FloatField(label="目标值", required=False, min_value=0)
    metric_year = forms.IntegerField(label="指标年度", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_units"].choices = [(u.pk, u.name) for u in units]

    def task_input(self) -> TaskInput:
        data = cleaned(self)
        return TaskInput(
            title=data["title"], lead_unit=data["lead_unit"], start_on=data["start_on"], deadline=data["deadline"],
            description=data["description"], co_unit_ids=data["co_units"], owner_name=data["owner_name"],
            milestones=_milestones(data["milestones"]), metric_key=data["metric_key"],
            metric_scope_kind=data["metric_scope_kind"], metric_scope=data["metric_scope"],
            metric_target=data["metric_target"], metric_year=data["metric_year"],
        )  # fmt: skip


class ReportForm(forms.Form):
    text = forms.CharField(label="进展情况", max_length=20_000)
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    files = MultipleFileField(label="佐证材料", required=False)
    unit = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="验收结论", choices=[("1", "通过"), ("0", "退回")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="验收意见", required=False, max_length=300)


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=120)
    held_on = forms.DateField(label="召开日期")
    location = forms.CharField(label="地点", required=False, max_length=80)
    agenda = forms.CharField(label="议程", required=False, max_length=20_000)
    minutes = forms.CharField(label="纪要", required=False, max_length=20_000)
    attendees = forms.TypedMultipleChoiceField(label="出席单位", required=False, coerce=int, choices=())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(u.pk, u.name) for u in units]


class DecisionForm(forms.Form):
    text = forms.CharField(label="议定事项", max_length=20_000)
    is_public = forms.BooleanField(label="公开", required=False)


class CommitmentForm(forms.Form):
    party = forms.IntegerField(label="承诺单位", min_value=1, max_value=MAX_ID)
    text = forms.CharField(label="承诺事项", max_length=2000)
    deadline = forms.DateField(label="完成时限")


class MajorItemStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=MajorItemStatus.choices)
    note = forms.CharField(label="说明", required=False, max_length=300)


class TaskFilterForm(forms.Form):
    body = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    unit = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    light = forms.ChoiceField(
        required=False, choices=[("", "")] + [(v, v) for v in ("green", "yellow", "red")]
    )
    status = forms.CharField(required=False, max_length=12)
    q = forms.CharField(required=False, max_length=100)
    mine = forms.BooleanField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class AgreementForm(forms.Form):
    zone = forms.CharField(label="协同区", max_length=40)
    title = forms.CharField(label="协议名称", max_length=120)
    signed_on = forms.DateField(label="签署日期")
    text = forms.CharField(label="协议正文", required=False, max_length=20_000)
    parties = forms.TypedMultipleChoiceField(label="签约方", coerce=int, choices=())
    signed_file = forms.FileField(label="签署文本（PDF）", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = [(u.pk, u.name) for u in units]


class MajorItemForm(forms.Form):
    zone = forms.CharField(label="协同区", max_length=40)
    title = forms.CharField(label="事项名称", max_length=120)
    ministry = forms.CharField(label="争取支持的部委", max_length=80)
    description = forms.CharField(label="说明", required=False, max_length=20_000)
    co_sponsors = forms.TypedMultipleChoiceField(label="联合申报单位", coerce=int, choices=())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_sponsors"].choices = [(u.pk, u.name) for u in units]
