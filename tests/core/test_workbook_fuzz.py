"""Hostile and mutated workbooks posted to every import endpoint (pages and API): never a 5xx, nothing written.

The bases are the workbooks the platform itself hands out (import templates, the framework and data
templates) and small real uploads; hypothesis mutates their zip bytes and their XML parts (flipped and cut
bytes, inserted fragments, renumbered rows, retyped cells) and adds the hand-made attacks. `make test` runs
about 50 examples per endpoint (XIETONG_FUZZ_EXAMPLES); `make fuzz` runs 1,000 per endpoint with
XIETONG_FUZZ_BUDGET=1, which also holds every request to 2 s of CPU and the process to 500 MB (peak RSS),
and runs the full-size attacks marked `fuzz` (an 800 MB zip bomb, 3 million numbered empty rows). The time
budget is CPU time (`time.process_time`, the server's own cost): on a machine shared with other test runs
the wall-clock time of one request also measures its neighbours; the wall-clock maximum is printed too.
"""

from __future__ import annotations

import os
import re
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clients import client_for
from tests.core import workbook_attacks as attacks
from tests.evaluation.helpers import GOOD_FRAMEWORK, data_rows, xlsx
from tests.factories import member
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.evaluation import excel as evaluation_excel
from xietong.evaluation.models import Dataset, Framework, FrameworkVersion
from xietong.orgs import excel as orgs_excel
from xietong.orgs.models import Organisation
from xietong.resources import excel as resources_excel
from xietong.resources.models import PriceList, PriceTier, Resource
from xietong.transfer import excel as transfer_excel
from xietong.transfer.models import Contract

EXAMPLES = int(os.environ.get("XIETONG_FUZZ_EXAMPLES", "50"))
BUDGET = os.environ.get("XIETONG_FUZZ_BUDGET") == "1"
MAX_SECONDS = 2.0
MAX_RSS_MB = 500
WRITTEN = (
    Organisation,
    Resource,
    PriceList,
    PriceTier,
    Contract,
    Framework,
    FrameworkVersion,
    Dataset,
    AuditEvent,
)
FIGURES: dict[str, dict[str, float]] = {}  # endpoint → files, max wall and CPU seconds, max RSS (MB)


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # {framework} is replaced by the test framework's id
    base: Callable[[], bytes]
    fields: tuple[tuple[str, str], ...] = ()


def _framework_workbook() -> bytes:
    return xlsx(GOOD_FRAMEWORK).read()


def _data_workbook() -> bytes:
    return xlsx(data_rows()).read()


def _data_template() -> bytes:
    table = [dict(zip(("Level", "iCode", "iName", "Direction", "Weight", "Unit", "Parent", "Type", "Source"), r, strict=True)) for r in GOOD_FRAMEWORK[1:]]  # fmt: skip
    return evaluation_excel.data_template(
        name="测试指数", table=table, units=[("310000", "上海市")], years=[2021]
    )


ENDPOINTS = [
    Endpoint("api-orgs", "/api/v1/orgs/import", orgs_excel.import_template),
    Endpoint("page-orgs", "/orgs/import/", orgs_excel.import_template),
    Endpoint("api-resources", "/api/v1/resources/import", resources_excel.resource_template),
    Endpoint(
        "page-resources", "/resources/import/", resources_excel.resource_template, (("kind", "resources"),)
    ),
    Endpoint("api-prices", "/api/v1/resources/price-import", resources_excel.price_template),
    Endpoint("page-prices", "/resources/import/", resources_excel.price_template, (("kind", "prices"),)),
    Endpoint("api-contracts", "/api/v1/transfer/contracts/import", transfer_excel.contract_template),
    Endpoint("page-contracts", "/transfer/contracts/import/", transfer_excel.contract_template),
    Endpoint(
        "api-framework",
        "/api/v1/evaluation/frameworks/import",
        _framework_workbook,
        (("name", "模糊测试指数"), ("zone", "yrd")),
    ),
    Endpoint(
        "page-framework",
        "/evaluation/frameworks/import/",
        _framework_workbook,
        (("name", "模糊测试指数"), ("scope", "zone:yrd")),
    ),
    Endpoint("api-version", "/api/v1/evaluation/frameworks/{framework}/versions", _framework_workbook),
    Endpoint("page-version", "/evaluation/frameworks/{framework}/versions/import/", _framework_workbook),
    Endpoint("api-dataset", "/api/v1/evaluation/frameworks/{framework}/datasets", _data_workbook),
    Endpoint("page-dataset", "/evaluation/frameworks/{framework}/datasets/import/", _data_template),
]


@pytest.fixture
def poster(db):
    """Posts a workbook to an endpoint as the platform admin (who may reach every import) and checks the answer."""
    admin = member(Role.PLATFORM_ADMIN)
    client = client_for(admin)
    framework = client.post(
        "/api/v1/evaluation/frameworks/import",
        {"file": xlsx(GOOD_FRAMEWORK), "name": "测试指数", "zone": "yrd"},
    ).json()["id"]

    def post(endpoint: Endpoint, content: bytes, name: str = "upload.xlsx"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        before = _counts()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post(
            endpoint.path.format(framework=framework),
            {"file": SimpleUploadedFile(name, content), **dict(endpoint.fields)},
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _record(endpoint.name, elapsed, cpu, rss)
        assert response.status_code in (200, 201, 302, 400), (endpoint.name, response.status_code)
        if response.status_code == 400:
            assert _counts() == before, endpoint.name
        if BUDGET:
            assert cpu < MAX_SECONDS, (endpoint.name, cpu, elapsed)
            assert rss < MAX_RSS_MB, (endpoint.name, rss)
        return response

    return post


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in WRITTEN)


def _record(name: str, elapsed: float, cpu: float, rss: float) -> None:
    figures = FIGURES.setdefault(name, {"files": 0, "wall": 0.0, "cpu": 0.0, "rss": 0.0})
    figures["files"] += 1
    figures["wall"] = max(figures["wall"], elapsed)
    figures["cpu"] = max(figures["cpu"], cpu)
    figures["rss"] = max(figures["rss"], rss)


@pytest.fixture(scope="module", autouse=True)
def _print_figures():
    yield
    if FIGURES:
        print("\nworkbook fuzz: endpoint, files, max wall s, max CPU s per request, max RSS (MB)")
        for name, f in FIGURES.items():
            print(f"  {name:<16} {int(f['files']):>6} {f['wall']:>8.3f} {f['cpu']:>8.3f} {f['rss']:>6.0f}")


# ---------------------------------------------------------------------- the hand-made attacks
@pytest.mark.parametrize("attack", sorted(attacks.ATTACKS))
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_attack_is_refused_with_a_400_and_nothing_written(poster, endpoint, attack):
    response = poster(endpoint, attacks.ATTACKS[attack](endpoint.base()))
    assert response.status_code == 400
    text = response.json()["message"] if endpoint.name.startswith("api-") else response.content.decode()
    assert "无法读取文件" in text or "工作簿" in text or "空行过多" in text


# ---------------------------------------------------------------------- hypothesis mutations
FRAGMENTS = (
    b'<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
    b"&a;",
    b'<c r="A1" t="s"><v>999999</v></c>',
    b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
    b'<row r="-1"/>',
    b"<row/>" * 50,
    b"</sheetData>",
    b"<sheetData>",
    b'<c t="d"><v>2024-13-45T99:00:00</v></c>',
    b'<c t="b"><v>7</v></c>',
    b'<c s="999999"><v>1</v></c>',
    b"<c><v>1e99999</v></c>",
    b"<c><v>nan</v></c>",
    b'<c s="1"><v>99999999999999</v></c>',
    b"\x00",
    b"\xff\xfe",
    b"<",
    b"&",
    b'"',
    b'<c t="inlineStr"><is><t>' + b"x" * 40_000 + b"</t></is></c>",
    b'<xf numFmtId="14"/>',
    b'<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>',
    b'<Relationship Id="rId1" Type="x/worksheet" Target="../../../etc/passwd"/>',
    b'<sheet name="x" sheetId="1" r:id="rId99"/>',
)
CELL_TYPES = ("s", "b", "d", "e", "str", "inlineStr", "n", "zz", "")


@st.composite
def mutated(draw, base: bytes) -> bytes:
    kind = draw(
        st.sampled_from(("flip", "cut", "part-flip", "part-cut", "part-insert", "renumber", "retype"))
    )
    if kind == "flip":
        data = bytearray(base)
        for index, value in draw(st.lists(st.tuples(st.integers(0, len(base) - 1), st.integers(0, 255)), min_size=1, max_size=8)):  # fmt: skip
            data[index] = value
        return bytes(data)
    if kind == "cut":
        return base[: draw(st.integers(0, len(base) - 1))]
    members = attacks.parts(base)
    name = draw(st.sampled_from([attacks.SHEET] * 3 + sorted(members)))
    part = members.get(name, b"")
    if kind == "part-flip" and part:
        data = bytearray(part)
        for index, value in draw(st.lists(st.tuples(st.integers(0, len(part) - 1), st.integers(0, 255)), min_size=1, max_size=8)):  # fmt: skip
            data[index] = value
        part = bytes(data)
    elif kind == "part-cut":
        part = part[: draw(st.integers(0, max(len(part) - 1, 0)))]
    elif kind == "part-insert":
        at = draw(st.integers(0, len(part)))
        part = part[:at] + draw(st.sampled_from(FRAGMENTS)) + part[at:]
    elif kind == "renumber":
        number = draw(st.one_of(st.integers(-5, 20), st.integers(1_048_570, 1_048_580), st.integers(-(10**15), 10**15)))  # fmt: skip
        part = re.sub(rb'r="([A-Z]*)\d+"', lambda m: b'r="' + m.group(1) + str(number).encode() + b'"', part, count=draw(st.integers(1, 3)))  # fmt: skip
    else:
        cell_type = draw(st.sampled_from(CELL_TYPES)).encode()
        part = re.sub(rb't="[A-Za-z]+"', b't="' + cell_type + b'"', part, count=draw(st.integers(1, 5)))
    members[name] = part
    return attacks.rezip(members)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_mutated_workbooks_never_give_a_5xx_or_a_partial_write(poster, endpoint):
    base = endpoint.base()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(content=mutated(base))
    def check(content):
        poster(endpoint, content)

    check()


# ---------------------------------------------------------------------- full size (make fuzz only)
_LARGE: dict[str, bytes] = {}


def _large(name: str) -> bytes:
    if name not in _LARGE:
        base = attacks.plain_workbook()
        if name == "zip_bomb_800mb":
            _LARGE[name] = attacks.zip_bomb(base, megabytes=800)
        else:
            _LARGE[name] = attacks.numbered_empty_rows(base, count=3_000_000)
    return _LARGE[name]


@pytest.mark.fuzz
@pytest.mark.parametrize("attack", ["zip_bomb_800mb", "numbered_empty_rows_3m"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_full_size_attacks_within_the_budget(poster, endpoint, attack):
    response = poster(endpoint, _large(attack))
    assert response.status_code == 400
