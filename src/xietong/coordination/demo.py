"""Deterministic, idempotent demo of coordination (labelled 演示), dated relative to today through core.clock.

The 川渝 joint meeting (成渝 zone) and the G60 office with its task group; several meetings whose decisions
became tasks; two framework agreements with each party's commitments; a 重大事项清单 with its history; about
sixty tasks in every state (completed on time and late, on track, lagging, due soon, overdue, a missed milestone,
not started, suspended, awaiting acceptance), some metric-linked to the demo's voucher redemptions and technology
contracts, measured from the data. Only the real services write; reports and acceptances are made at their
historic dates by moving the platform clock. Accounts: zone_cy (川渝 office), zone_g60 (G60 office); the
bureaus bureau_cq, bureau_sc and bureau_jx of the orgs demo report on their tasks.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xietong.coordination import metrics, services
from xietong.coordination.enums import BodyKind, MetricScopeKind, UnitKind
from xietong.coordination.models import Body, Unit
from xietong.core import clock, demos
from xietong.core.actor import SYSTEM, actor_for
from xietong.core.roles import Role
from xietong.orgs import services as org_services
from xietong.orgs.demo import DEMO_PASSWORD
from xietong.regions.models import Region, Zone

SEED = 2026
EXTRA_ACCOUNTS = [
    ("zone_g60", "协同区办公室", "G60 科创走廊联席会议办公室：督办看板、专责小组任务"),
]
EVIDENCE = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CY_TOPICS = [
    "共建川渝科技资源共享服务平台", "联合实施成渝重大科技攻关项目", "共建西部科学城协同创新示范区", "推动科技创新券通用通兑",
    "共建成渝综合性科学中心", "联合举办川渝科技成果交易会", "共建川渝技术转移联盟", "共享川渝专家库",
    "推进大型科研仪器开放共享", "共建成渝中线科创走廊", "联合培育高新技术企业", "共建川渝科技金融服务平台",
    "开展人才服务卡对等互认", "共建成渝国家技术创新中心", "联合编制成渝产业链全景图", "推动科技成果跨区域转化",
    "共建川渝知识产权运营平台", "联合开展科技政策评估", "共建川渝新型研发机构", "举办成渝双城创新创业大赛",
]  # fmt: skip
G60_TOPICS = [
    "G60 科创走廊产业协同创新中心建设", "九城市科技创新券互认互通", "共建 G60 科技成果转化基金",
    "九城市大型仪器共享目录", "G60 人工智能产业联盟年度任务", "G60 集成电路产业链补链项目",
    "共建 G60 质量标准实验室", "九城市高层次人才服务互认", "G60 科创走廊技术交易中心",
    "G60 生物医药产业联盟年度任务", "九城市科技政策协同清单", "G60 新材料中试基地共建",
]  # fmt: skip
# (kind, share of the period elapsed or days relative to today) — every state the dashboard shows.
STATES = ("done_on_time", "done_late", "on_track", "lagging", "due_soon", "overdue", "milestone_missed",
          "not_started", "suspended", "awaiting", "metric_reached", "metric_lagging")  # fmt: skip


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _user(username: str, name: str, zone: Zone):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        org_services.membership_grant(
            actor=SYSTEM, user=user, role=Role.ZONE_OFFICE, zone_id=zone.pk, title=name
        )
    return user


def _bureau(username: str):
    user = get_user_model().objects.filter(username=username).first()
    return actor_for(user) if user else None


def _units(zone: Zone, office_name: str, names: dict[str, str]) -> tuple[Unit, list[Unit]]:
    office = Unit.objects.get_or_create(name=office_name, defaults={"kind": UnitKind.OFFICE, "zone": zone})[0]
    units = []
    for code, name in names.items():
        units.append(
            Unit.objects.get_or_create(name=name, defaults={"kind": UnitKind.BUREAU, "region_id": code})[0]
        )
    return office, units


def _member_names(zone: Zone, extra: dict[str, str]) -> dict[str, str]:
    names = dict(extra)
    for region in Region.objects.filter(zone_memberships__zone=zone).order_by("code"):
        names.setdefault(region.code, f"{region.name}科技局")
    return names


def _metric_link(key: str, scope: str, year: int, *, reached: bool) -> dict:
    value = metrics.measure_many([(key, MetricScopeKind.ZONE, scope, year)]).get(
        (key, MetricScopeKind.ZONE, scope, year), 0
    )
    target = round(value * 0.8, 2) if reached and value > 0 else round(max(value * 1.6, 10.0), 2)
    return {"metric_key": key, "metric_scope_kind": MetricScopeKind.ZONE, "metric_scope": scope,
            "metric_target": target, "metric_year": year}  # fmt: skip


class _Story:
    def __init__(
        self, *, office, body: Body, units: list[Unit], reporters: dict[int, object], topics, zone_code, today
    ):
        self.office, self.body, self.units, self.reporters = office, body, units, reporters
        self.topics, self.zone_code, self.today = topics, zone_code, today
        self.count = 0

    def _report(self, task, unit_id: int, percent: int, day: date, accept: bool | None) -> None:
        reporter = self.reporters.get(unit_id)
        if reporter is None:
            return
        with demos.dated(_at(day)):
            evidence = SimpleUploadedFile("进展佐证材料.pdf", EVIDENCE, content_type="application/pdf")
            report = services.report_submit(
                actor=reporter, task_id=task.pk, text=f"已完成阶段工作，完成进度 {percent}%。（演示）",
                percent=percent, uploads=[evidence],
            )  # fmt: skip
            if accept is not None:
                services.report_review(
                    actor=self.office,
                    report_id=report.pk,
                    accept=accept,
                    note="" if accept else "请补充佐证材料",
                )

    def task(
        self, state: str, *, decision=None, commitment=None, major_item=None, lead: Unit | None = None
    ) -> None:
        today, i = self.today, self.count
        self.count += 1
        reporting = [u for u in self.units if u.pk in self.reporters]
        lead = lead or (
            reporting[i % len(reporting)]
            if state in ("done_on_time", "done_late", "on_track", "awaiting", "lagging")
            else self.units[i % len(self.units)]
        )
        co = [u.pk for u in self.units if u.pk != lead.pk][i % 3 : i % 3 + 1]
        start, deadline, milestones, extra = today - timedelta(days=120), today + timedelta(days=120), [], {}
        if state == "done_on_time":
            start, deadline = today - timedelta(days=300), today - timedelta(days=30 + i)
        elif state == "done_late":
            start, deadline = today - timedelta(days=280), today - timedelta(days=60)
        elif state == "due_soon":
            deadline = today + timedelta(days=3 + i % 8)
        elif state == "overdue":
            start, deadline = today - timedelta(days=200), today - timedelta(days=5 + i % 20)
        elif state == "milestone_missed":
            milestones = [
                ("形成工作方案", today - timedelta(days=20)),
                ("完成中期评估", today + timedelta(days=60)),
            ]
        elif state == "not_started":
            start, deadline = today + timedelta(days=15), today + timedelta(days=200)
        elif state in ("metric_reached", "metric_lagging"):
            start, deadline = date(today.year, 1, 1), date(today.year, 12, 31)
            key = "vouchers.cross_region_redeemed" if i % 2 else "transfer.contract_inflow"
            year = today.year if key.startswith("vouchers") else 2025
            if year != today.year:
                start, deadline = date(year, 1, 1), date(year, 12, 31)
            extra = _metric_link(key, self.zone_code, year, reached=state == "metric_reached")
        title = self.topics[i % len(self.topics)] + (
            "（演示）" if i < len(self.topics) else f"（第 {i // len(self.topics) + 1} 批，演示）"
        )
        data = services.TaskInput(
            title=title, lead_unit=lead.pk, start_on=start, deadline=deadline, co_unit_ids=co,
            owner_name=random.Random(i).choice(["张伟", "李娜", "王强", "刘洋", "陈静", "杨帆"]),
            description="按联席会议议定事项推进，**每季度**报送进展并附佐证材料。", milestones=milestones, **extra,
        )  # fmt: skip
        with demos.dated(_at(min(start, today))):
            if decision is not None:
                task = services.decision_make_task(actor=self.office, decision_id=decision.pk, data=data)
            elif commitment is not None:
                task = services.commitment_make_task(
                    actor=self.office, commitment_id=commitment.pk, body_id=self.body.pk, data=data
                )
            elif major_item is not None:
                task = services.major_item_make_task(
                    actor=self.office, item_id=major_item.pk, body_id=self.body.pk, data=data
                )
            else:
                task = services.task_create(actor=self.office, body_id=self.body.pk, data=data)
        if state == "done_on_time":
            self._report(task, lead.pk, 60, start + timedelta(days=120), True)
            self._report(task, lead.pk, 100, deadline - timedelta(days=10), True)
        elif state == "done_late":
            self._report(task, lead.pk, 100, deadline + timedelta(days=12), True)
        elif state == "on_track":
            self._report(task, lead.pk, 55, today - timedelta(days=10), True)
        elif state == "lagging":
            self._report(task, lead.pk, 10, today - timedelta(days=40), True)
        elif state == "awaiting":
            self._report(task, lead.pk, 60, today - timedelta(days=2), None)
        elif state == "overdue":
            self._report(task, lead.pk, 40, deadline - timedelta(days=30), True)
        elif state == "suspended":
            services.task_set_suspended(
                actor=self.office, task_id=task.pk, suspended=True, note="等待国家部委批复"
            )


def load(*, seed: int = SEED) -> str:
    """Create the coordination demo once (a second run changes nothing)."""
    if Body.objects.filter(name="川渝科技创新合作联席会议").exists():
        return "联席会议与督办演示数据已存在，未重复写入"
    cy_zone, g60_zone = Zone.objects.filter(code="chengyu").first(), Zone.objects.filter(code="g60").first()
    if cy_zone is None or g60_zone is None:
        return "未找到成渝或 G60 协同区，跳过联席会议与督办演示数据"
    today = clock.today()
    cy_user, g60_user = (
        _user("zone_cy", "川渝联席会议办公室", cy_zone),
        _user("zone_g60", "G60联席会议办公室", g60_zone),
    )
    cy_office, g60_office = actor_for(cy_user), actor_for(g60_user)
    _, cy_units = _units(
        cy_zone,
        "川渝联席会议办公室",
        _member_names(cy_zone, {"500000": "重庆市科技局", "510000": "四川省科技厅"}),
    )
    _, g60_units = _units(
        g60_zone, "G60科创走廊联席会议办公室", _member_names(g60_zone, {"330400": "嘉兴市科技局"})
    )
    reporters = {u.pk: a for u in cy_units + g60_units
                 for name, a in (("重庆市科技局", _bureau("bureau_cq")), ("四川省科技厅", _bureau("bureau_sc")),
                                 ("嘉兴市科技局", _bureau("bureau_jx"))) if u.name == name and a is not None}  # fmt: skip
    cy_core = [u for u in cy_units if u.name in ("重庆市科技局", "四川省科技厅", "成都市科技局")] + cy_units[
        2:8
    ]
    with demos.dated(_at(today - timedelta(days=400))):
        cy_body = services.body_create(actor=cy_office, zone="chengyu", name="川渝科技创新合作联席会议",
                                       kind=BodyKind.JOINT_MEETING, member_ids=[u.pk for u in cy_units])  # fmt: skip
        g60_body = services.body_create(actor=g60_office, zone="g60", name="G60科创走廊联席会议办公室",
                                        kind=BodyKind.OFFICE, member_ids=[u.pk for u in g60_units], due_soon_days=10)  # fmt: skip
        services.body_create(actor=g60_office, zone="g60", name="G60科创走廊科技成果转化专责小组",
                             kind=BodyKind.TASK_GROUP, member_ids=[u.pk for u in g60_units[:5]])  # fmt: skip
    cy = _Story(office=cy_office, body=cy_body, units=list(dict.fromkeys(cy_core)), reporters=reporters,
                topics=CY_TOPICS, zone_code="chengyu", today=today)  # fmt: skip
    g60 = _Story(office=g60_office, body=g60_body, units=g60_units, reporters=reporters, topics=G60_TOPICS,
                 zone_code="g60", today=today)  # fmt: skip
    meetings = _meetings(cy, g60, today)
    agreements = _agreements(cy_office, g60_office, cy_units, g60_units, today)
    items = _major_items(cy_office, cy_units, today)
    # Tasks: decisions first (one step from the meeting), then commitments and major items, then direct ones.
    plan = list(STATES) * 5
    rng = random.Random(seed)
    for story, decisions in ((cy, meetings["chengyu"]), (g60, meetings["g60"])):
        for decision in decisions:
            story.task(plan.pop(0), decision=decision)
    for story, chosen in ((cy, agreements[:4]), (g60, agreements[4:6])):
        for commitment in chosen:
            lead = commitment.party if commitment.party_id in reporters else None
            story.task(plan.pop(0), commitment=commitment, lead=lead)
    for item in items[:2]:
        cy.task(plan.pop(0), major_item=item)
    while plan and cy.count + g60.count < 60:
        (cy if rng.random() < 0.6 else g60).task(plan.pop(0))
    from xietong.coordination import refresh

    refresh.run(send=False)
    return (
        f"议事机构 3 个、会议 {sum(1 for _ in meetings['all'])} 次、督办事项 {cy.count + g60.count} 项、"
        f"合作协议 2 份、重大事项 {len(items)} 项（演示数据）"
    )


def _meetings(cy: _Story, g60: _Story, today: date) -> dict:
    specs = [
        (cy, "川渝科技创新合作联席会议第五次会议", 330, "重庆", ["共建川渝科技资源共享服务平台，年内开放大型仪器 500 台（套）",
         "联合实施成渝重大科技攻关项目 10 项", "推动科技创新券在川渝通用通兑"]),
        (cy, "川渝科技创新合作联席会议第六次会议", 180, "成都", ["共建西部科学城协同创新示范区", "联合举办川渝科技成果交易会",
         "内部事项：研究共同争取国家支持的重大事项清单"]),
        (cy, "川渝科技创新合作联席会议第七次会议", 40, "重庆", ["共建川渝技术转移联盟", "共享川渝专家库并互认评审结果"]),
        (g60, "G60科创走廊联席会议第九次会议", 250, "上海松江", ["九城市科技创新券互认互通", "共建 G60 科技成果转化基金",
         "九城市大型仪器共享目录年内发布"]),
        (g60, "G60科创走廊联席会议第十次会议", 60, "嘉兴", ["G60 人工智能产业联盟年度任务", "九城市高层次人才服务互认"]),
    ]  # fmt: skip
    out: dict = {"chengyu": [], "g60": [], "all": []}
    for story, title, days_ago, place, texts in specs:
        held = today - timedelta(days=days_ago)
        with demos.dated(_at(held)):
            meeting = services.meeting_create(
                actor=story.office, body_id=story.body.pk, title=title, held_on=held, location=place,
                agenda="1. 通报上次会议议定事项落实情况\n2. 审议年度重点任务\n3. 研究下一步工作",
                minutes=f"会议在{place}召开，**各成员单位**汇报了议定事项落实情况，会议议定以下事项。（演示）",
                attendee_ids=[u.pk for u in story.units[:6]],
            )  # fmt: skip
            out["all"].append(meeting)
            for text in texts:
                internal = text.startswith("内部事项")
                decision = services.decision_add(
                    actor=story.office, meeting_id=meeting.pk, text=text, is_public=not internal
                )
                out[story.zone_code].append(decision)
    return out


def _agreements(cy_office, g60_office, cy_units, g60_units, today: date) -> list:
    cq = next(u for u in cy_units if u.name == "重庆市科技局")
    sc = next(u for u in cy_units if u.name == "四川省科技厅")
    commitments = []
    with demos.dated(_at(today - timedelta(days=420))):
        cy_agreement = services.agreement_create(
            actor=cy_office, zone="chengyu", title="进一步深化川渝科技创新合作 增强协同创新发展能力共同推动成渝地区双城经济圈建设工作备忘录",
            signed_on=today - timedelta(days=420), party_ids=[cq.pk, sc.pk],
            text="## 合作原则\n\n优势互补、资源共享、协同推进。\n\n## 合作内容\n\n1. 建立联席会议制度；\n2. 共建科技资源共享平台；\n3. 共同争取国家支持的重大事项清单。（演示）",
            signed_file=SimpleUploadedFile("川渝合作备忘录（签署版）.pdf", EVIDENCE, content_type="application/pdf"),
        )  # fmt: skip
        for party, text, days in ((cq, "开放市级以上重点实验室大型仪器设备", 200), (sc, "共享省级科技专家库", 150),
                                  (cq, "设立川渝科技合作专项资金", -60), (sc, "联合建设成渝科技成果转移转化示范区", -30)):  # fmt: skip
            commitments.append(services.commitment_add(actor=cy_office, agreement_id=cy_agreement.pk, party_id=party.pk,
                                                       text=text, deadline=today - timedelta(days=days)))  # fmt: skip
        g60_agreement = services.agreement_create(
            actor=g60_office, zone="g60", title="长三角G60科创走廊九城市协同创新合作框架协议",
            signed_on=today - timedelta(days=420), party_ids=[u.pk for u in g60_units],
            text="九城市按照“科创+产业”的思路，推动科技资源共享、成果转化和产业协同。（演示）",
        )  # fmt: skip
        for n, party in enumerate(g60_units[:4]):
            commitments.append(services.commitment_add(actor=g60_office, agreement_id=g60_agreement.pk, party_id=party.pk,
                                                       text=f"开放本市科技资源共享目录（第 {n + 1} 批）",
                                                       deadline=today + timedelta(days=30 * (n + 1))))  # fmt: skip
    return commitments


def _major_items(office, units, today: date) -> list:
    cq = next(u for u in units if u.name == "重庆市科技局")
    sc = next(u for u in units if u.name == "四川省科技厅")
    specs = [
        ("共建成渝综合性科学中心", "科技部、国家发展改革委", ["submitted", "following"]),
        ("建设成渝国家技术创新中心", "科技部", ["submitted", "supported"]),
        ("布局建设重大科技基础设施集群", "国家发展改革委", ["submitted"]),
        ("开展科技创新券跨区域通用通兑国家试点", "科技部", []),
        ("设立成渝地区双城经济圈科技创新基金", "财政部", ["submitted", "not_supported"]),
    ]
    items = []
    for n, (title, ministry, history) in enumerate(specs):
        with demos.dated(_at(today - timedelta(days=360 - n * 20))):
            item = services.major_item_create(actor=office, zone="chengyu", title=title, ministry=ministry,
                                              description="川渝两地科技部门共同争取国家支持。（演示）",
                                              co_sponsor_ids=[cq.pk, sc.pk])  # fmt: skip
        for step, status in enumerate(history):
            with demos.dated(_at(today - timedelta(days=300 - n * 20 - step * 90))):
                services.major_item_set_status(
                    actor=office,
                    item_id=item.pk,
                    status=status,
                    note="联合行文报送（演示）" if status == "submitted" else "",
                )
        items.append(item)
    return items
