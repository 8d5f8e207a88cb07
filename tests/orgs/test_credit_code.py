import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.orgs import credit_code
from xietong.orgs.credit_code import CHARSET, CreditCodeError

REAL_CODES = ["91350100M000100Y43", "91110000600037341L"]  # the GB 32100 example and a published registration


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_pass(code):
    assert credit_code.validate(code) == code


def test_lowercase_and_spaces_are_normalised():
    assert credit_code.validate(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_wrong_check_character_names_it_and_the_expected_one():
    with pytest.raises(CreditCodeError) as err:
        credit_code.validate("91350100M000100Y44")
    assert err.value.message == "统一社会信用代码第 18 位校验码“4”有误：按前 17 位计算应为“3”"
    assert err.value.detail["position"] == 18


def test_illegal_character_is_named_with_its_position_and_a_hint():
    with pytest.raises(CreditCodeError) as err:
        credit_code.validate("91350100M0001OOY43")
    assert err.value.message == "统一社会信用代码第 14 位字符“O”不合法（是否应为“0”？）"


def test_wrong_length():
    with pytest.raises(CreditCodeError, match="应为 18 位，当前为 17 位"):
        credit_code.validate("91350100M000100Y4")


def test_region_part_must_be_digits():
    with pytest.raises(CreditCodeError, match="第 3 位字符“A”应为数字"):
        credit_code.validate("91A50100M000100Y43")


def test_organisation_code_check_is_verified():
    with pytest.raises(CreditCodeError, match="第 17 位字符“1”有误：组织机构代码校验位应为“0”"):
        credit_code.validate("911100001000111111")


serials = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)
regions = st.from_regex(r"^[1-6][0-9]{5}$", fullmatch=True)


@given(serial=serials, region=regions)
def test_made_codes_always_validate(serial, region):
    code = credit_code.make(region_code=region, serial=serial)
    assert credit_code.validate(code) == code


@given(serial=serials, region=regions, replacement=st.sampled_from(CHARSET))
def test_any_change_of_the_check_character_is_caught(serial, region, replacement):
    code = credit_code.make(region_code=region, serial=serial)
    if replacement == code[17]:
        return
    with pytest.raises(CreditCodeError) as err:
        credit_code.validate(code[:17] + replacement)
    assert err.value.detail["position"] == 18
    assert f"“{replacement}”" in err.value.message
