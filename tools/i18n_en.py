"""Writes the English catalogue (src/xietong/locale/en/LC_MESSAGES/django.po) and compiles it.

The UI's source language is 简体中文; msgids are the Chinese strings in the templates. Run after adding
strings (core strings here, an app's strings in tools/i18n/<app>.json): `.venv/bin/python tools/i18n_en.py` (needs gettext's msgfmt). Missing strings fall back to Chinese.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "xietong"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"

EN = {
    "协同创新指数": "Collaborative-innovation index", "第": "Run", "次运行": "",
    "暂无已发布的指数报告": "No published index report yet",
    "上一页": "Previous", "下一页": "Next", "下载导入模板": "Download the import template",
    "下载错误报告": "Download the error report", "专精特新“小巨人”": "Little Giant (专精特新)",
    "个人 API 令牌": "Personal API tokens", "个成员": "members", "京津冀、成渝、长三角及自定义协同区":
    "Beijing–Tianjin–Hebei, Chengdu–Chongqing, Yangtze River Delta and user-defined zones",
    "仪器共享、创新券通用通兑、技术交易、人才互认、产业链协同与协同创新指数——在一个平台上完成。":
    "Shared instruments, cross-region innovation vouchers, technology trade, talent recognition, industry chains and the collaborative-innovation index — on one platform.",
    "企业": "Enterprises", "企业注册": "Register an enterprise", "依据": "Basis", "信用代码": "Credit code",
    "先校验每一行；只要有一行有误，就不写入任何数据，并逐行列出问题。":
    "Every row is checked first; if any row is wrong nothing is written and each problem is listed by row.",
    "全平台": "Whole platform", "共": "Total", "出错了": "Error", "列": "Column", "创建": "Create",
    "区划代码": "Division code", "协同": "Xietong", "协同 · 跨区域协同创新平台": "Xietong · cross-regional collaborative innovation",
    "协同创新平台": "Collaborative innovation platform", "协同区": "Cooperation zones", "名称": "Name",
    "名称或信用代码": "Name or credit code", "地区": "Region", "地址": "Address", "审核意见": "Review note",
    "审核注册": "Review registration", "家": "", "家机构": "organisations", "密码": "Password", "导出 Excel": "Export to Excel",
    "尚未加载协同区。运行 make demo 载入预置数据。": "No zones loaded yet. Run make demo to load the presets.",
    "层级": "Level", "已脱敏": "masked", "待审核的机构注册": "Registrations awaiting review", "成员": "Members",
    "我的角色": "My roles", "我的账号": "My account", "所在地区": "Region", "所属行业": "Industry",
    "批量导入": "Bulk import", "批量导入机构": "Bulk import of organisations",
    "提交后由企业所在地的科技主管部门审核。": "The sci-tech bureau of your region reviews the registration.",
    "提交时间": "Submitted", "提交注册": "Submit", "搜索": "Search", "操作": "Actions", "操作记录": "History",
    "无权访问": "Access denied", "无法完成操作": "Could not complete the request", "暂无令牌": "No tokens yet",
    "暂无待审核的注册": "Nothing awaiting review", "暂无角色": "No roles", "未找到": "Not found", "机构": "Organisations",
    "机构名录": "Organisation directory", "机构名称": "Name", "机构类型": "Type", "机构类型分布": "Organisations by type",
    "查看该协同区全部机构": "All organisations in this zone", "校验并导入": "Check and import",
    "没有符合条件的机构": "No organisation matches", "注册审核": "Registration review", "状态": "Status", "用户名": "Username",
    "登录": "Log in", "科技型中小企业": "Tech SME", "简介": "Description", "类型": "Type",
    "统一社会信用代码": "Unified social credit code", "网址": "Website", "联系方式": "Contact",
    "脚本调用 /api/v1/ 时使用：Authorization: Bearer 令牌": "For scripts calling /api/v1/: Authorization: Bearer <token>",
    "行业": "Industry", "行号": "Row", "资质": "Qualifications", "跨区域协同创新平台": "Cross-regional collaborative innovation platform",
    "返回": "Back", "还没有账号？": "No account yet?", "退出": "Log out", "通过": "Approve", "问题": "Problem", "首页": "Home",
    "驳回": "Reject", "高新技术企业": "High-tech enterprise", "高校院所": "Universities & institutes",
    "协同区地图": "Map of cooperation zones", "名称/拼音/代码": "Name / pinyin / code",
    "审核意见（驳回时必填）": "Review note (required to reject)", "意见（驳回必填）": "Note (required to reject)",
    "用途，如“数据同步脚本”": "Purpose, e.g. “sync script”", "语言": "Language",
    "共 %(total)s 行，其中 %(n)s 行有误，未写入任何数据。": "%(total)s rows, %(n)s of them wrong; nothing was written.",
    "导入成功：共写入 %(n)s 家机构。": "Imported: %(n)s organisations written.",
    "共 %(total)s 家机构": "%(total)s organisations", "简体中文": "简体中文", "English": "English",
}  # fmt: skip

# Each app keeps its own English strings in tools/i18n/<app>.json ({"中文": "English"}), so that people
# working on different apps never edit the same file; the catalogue is the union. A msgid has one English
# text: the core dictionary wins, then the apps in name order (a later app cannot change an earlier one's).
for _extra in sorted((ROOT / "tools" / "i18n").glob("*.json")):
    for _msgid, _english in json.loads(_extra.read_text(encoding="utf-8")).items():
        EN.setdefault(_msgid, _english)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def template_msgids() -> set[str]:
    ids: set[str] = set()
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        ids |= set(re.findall(r"\{% (?:translate|trans) \"([^\"]+)\"", text))
        ids |= set(re.findall(r"\{% (?:translate|trans) '([^']+)'", text))
        ids |= set(re.findall(r"\b_\(\"([^\"]+)\"\)", text))  # a translated literal argument: with title=_("…")
        for body in re.findall(r"\{% blocktranslate[^%]*%\}(.*?)\{% endblocktranslate %\}", text, flags=re.S):
            ids.add(re.sub(r"\{\{ (\w+) \}\}", r"%(\1)s", body))
    return ids


def main() -> None:
    missing = sorted(template_msgids() - set(EN))
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: en\\n"', ""]
    entries = dict(EN)
    # A template looks a text holding a literal % up with each % doubled (django.template.base.Variable.resolve,
    # BlockTranslateNode): "时间占比（%）" is asked for as "时间占比（%%）", so it is written under that key too.
    for msgid in template_msgids():
        if "%" in msgid and "%(" not in msgid and msgid in EN:
            entries.setdefault(msgid.replace("%", "%%"), EN[msgid])
    for msgid, msgstr in sorted(entries.items()):
        if "%(" in msgid:
            lines.append("#, python-format")
        lines += [f'msgid "{_escape(msgid)}"', f'msgstr "{_escape(msgstr)}"', ""]
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(["msgfmt", "--check-format", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    print(f"wrote {PO} ({len(entries)} entries); untranslated: {missing or 'none'}")


if __name__ == "__main__":
    main()
