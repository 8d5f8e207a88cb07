"""Domain error messages are translated where they are raised, flash messages where they are added, and every
one of them has English.

The check lives in `tests/error_messages_check.py` (which call sites count as messages and what counts as
untranslated); these tests run it over the real tree and show, on planted sources, that it catches each way
a message can slip through.
"""

import ast

import pytest
from django.utils import translation

from tests.error_messages_check import (
    check_source,
    check_tree,
    error_classes,
    modules,
    msgids_in_source,
    msgids_in_tree,
)
from xietong.core.errors import Invalid, NotFound


@pytest.fixture(scope="module")
def classes():
    return error_classes(modules())


def test_every_error_message_in_the_tree_goes_through_gettext():
    findings = check_tree()
    assert findings == [], f"{len(findings)} untranslated message(s):\n" + "\n".join(map(str, findings))


def test_every_error_msgid_has_english_in_the_compiled_catalogue():
    # when each msgid written at a checked call site is looked up in English
    msgids = msgids_in_tree()
    with translation.override("en"):
        missing = sorted(
            {f"{m.path}:{m.line}: {m.msgid}" for m in msgids if translation.gettext(m.msgid) == m.msgid}
        )
    # then every one has its English (add it to tools/i18n/errors.json, run tools/i18n_en.py)
    assert len(msgids) > 600
    assert missing == [], f"{len(missing)} msgid(s) without English:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    ("error", "english", "chinese"),
    [(Invalid, "Invalid input", "输入有误"), (NotFound, "The record does not exist", "记录不存在")],
)
def test_a_class_default_is_resolved_in_the_language_active_when_shown(error, english, chinese):
    # raised while Chinese is active, shown in English (and the other way round): the default is lazy
    raised = error()
    with translation.override("en"):
        assert raised.as_dict() == {"code": error.code, "message": english, "detail": {}}
    with translation.override("en"):
        raised = error()
    assert raised.as_dict()["message"] == chinese


HEADER = "from django.utils.translation import gettext as _, gettext_lazy\nfrom xietong.core.errors import Invalid\n"

PLANTED = {
    "literal": 'def f():\n    raise Invalid("输入有误")\n',
    "f-string": 'def f(x):\n    raise Invalid(f"第 {x} 行有误", code="bad")\n',
    "f-string inside gettext": 'def f(x):\n    raise Invalid(_(f"第 {x} 行有误"))\n',
    "keyword message": 'def f():\n    raise Invalid(message="输入有误")\n',
    "subclass": 'class Late(Invalid):\n    pass\n\ndef f():\n    raise Late("太晚了")\n',
    "concatenation": 'def f(xs):\n    raise Invalid("缺少：" + "、".join(xs))\n',
    "conditional": 'def f(a):\n    raise Invalid(_("甲") if a else "乙")\n',
    "variable": 'def f(x):\n    message = f"第 {x} 行有误"\n    raise Invalid(message)\n',
    "placeholder value": 'def f(x):\n    raise Invalid(_("状态：%(s)s") % {"s": "已完成" if x else x})\n',
    "row error": 'from xietong.core.excel import RowError\ndef f(n):\n    return RowError(n, "名称", "必填")\n',
    "row error dict": 'def f(cleaner):\n    cleaner.errors["name"] = "必填"\n',
    "row error setdefault": 'def f(errors):\n    errors.setdefault("phone", "至少填写一项")\n',
    "get_visible": 'def f(qs, pk):\n    return get_visible(qs, "记录不存在", pk=pk)\n',
    "denial_message": 'def f(actor):\n    raise Forbidden(denial_message(actor, "无权操作"))\n',
    "class default": 'class Late(Invalid):\n    default_message = "太晚了"\n',
    "eager class default": 'class Late(Invalid):\n    default_message = _("太晚了")\n',
    "policy denial": 'class P:\n    denied_message = "您无权处理"\n',
    "flash literal": 'def f(request):\n    messages.success(request, "已保存")\n',
    "flash f-string": 'def f(request, name):\n    messages.info(request, f"已提交申请 {name}")\n',
    "flash keyword": 'def f(request):\n    messages.warning(request, message="请注意")\n',
    "flash add_message": 'def f(request):\n    messages.add_message(request, messages.ERROR, "出错了")\n',
    "flash variable": 'def f(request, a):\n    done = "已接受" if a else _("已婉拒")\n    messages.error(request, done)\n',
    "flash gettext of f-string": 'def f(request, n):\n    messages.success(request, _(f"已写入 {n} 条"))\n',
}


@pytest.mark.parametrize("kind", list(PLANTED))
def test_the_check_finds_a_planted_untranslated_message(classes, kind):
    source = HEADER + PLANTED[kind]
    planted_classes = classes | error_classes({"planted": ast.parse(source)})
    assert len(check_source(source, "planted.py", planted_classes)) == 1


def test_the_check_accepts_messages_translated_at_raise_time(classes):
    source = HEADER + (
        "class Late(Invalid):\n"
        '    default_message = gettext_lazy("太晚了")\n'
        "def f(x, qs, actor, cleaner):\n"
        '    cleaner.errors["name"] = _("必填")\n'
        '    get_visible(qs, _("记录不存在"), pk=x)\n'
        '    raise Invalid(_("第 %(n)s 行有误：%(items)s") % {"n": x, "items": _("、").join(["a"])}, code="bad")\n'
    )
    planted_classes = classes | error_classes({"planted": ast.parse(source)})
    assert check_source(source, "planted.py", planted_classes) == []
    assert [m.msgid for m in msgids_in_source(source, "planted.py", planted_classes)] == [
        "太晚了", "必填", "记录不存在", "第 %(n)s 行有误：%(items)s", "、",
    ]  # fmt: skip


def test_the_check_accepts_translated_flash_messages_and_reads_their_msgids(classes):
    source = HEADER + (
        "def f(request, name, accept):\n"
        '    messages.success(request, _("已提交申请 %(name)s") % {"name": name})\n'
        '    done = _("已接受“%(org)s”的意向") if accept else _("已婉拒“%(org)s”的意向")\n'
        '    messages.info(request, done % {"org": name})\n'
        '    messages.add_message(request, messages.WARNING, message=_("请注意"))\n'
    )
    assert check_source(source, "planted.py", classes) == []
    assert {m.msgid for m in msgids_in_source(source, "planted.py", classes)} == {
        "已提交申请 %(name)s", "已接受“%(org)s”的意向", "已婉拒“%(org)s”的意向", "请注意",
    }  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        'def f():\n    raise Invalid(_("这句没有英文译文"))\n',
        'def f(request):\n    messages.success(request, _("这句没有英文译文"))\n',
    ],
    ids=["error", "flash"],
)
def test_a_msgid_without_english_is_reported(body):
    source = HEADER + body
    msgids = msgids_in_source(source, "planted.py", {"Invalid"})
    with translation.override("en"):
        assert [m.msgid for m in msgids if translation.gettext(m.msgid) == m.msgid] == ["这句没有英文译文"]


@pytest.mark.parametrize(
    "body",
    [
        'def label(n):\n    return f"第 {n} 版"\n',
        'def clean(text):\n    raise ValueError(f"地区代码“{text}”无效")\n',
    ],
)
def test_the_check_finds_chinese_f_strings_returned_by_display_helpers(classes, body):
    # in a display module (its helpers' text reaches pages) the returned f-string is found
    found = check_source(HEADER + body, "sharing/models.py", classes)
    assert [f.problem for f in found] == [
        "Chinese f-string shown to users (use gettext with %(name)s placeholders)"
    ]
    # elsewhere (CLI output, demo data, Chinese documents) it is left alone
    assert check_source(HEADER + body, "sharing/cli.py", classes) == []
    # and the translated form passes
    fixed = 'def label(n):\n    return _("第 %(n)s 版") % {"n": n}\n'
    assert check_source(HEADER + fixed, "sharing/models.py", classes) == []
