import pytest
from pydantic import BaseModel, Field, ValidationError

from xietong.core.api import VALIDATION_MESSAGES, validation_message


class Sample(BaseModel):
    name: str = Field(max_length=3)
    count: int = Field(ge=1)
    page: int = 1


@pytest.mark.parametrize(
    ("payload", "expected"),
    [({"count": 1}, "name：缺少必填项"), ({"name": "abcd", "count": 1}, "name：内容过长"), ({"name": "a", "count": 0}, "count：数值过小"),
     ({"name": "a", "count": "x"}, "count：应为整数")],
)  # fmt: skip
def test_validation_errors_become_chinese(payload, expected):
    with pytest.raises(ValidationError) as err:
        Sample(**payload)
    assert validation_message(err.value.errors()[0]) == expected


def test_every_mapped_message_is_chinese():
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in VALIDATION_MESSAGES.values())


@pytest.mark.django_db
def test_api_validation_error_is_422_in_chinese(client):
    response = client.get("/api/v1/orgs?page_size=1000")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "数值过大" in response.json()["message"]


def test_an_id_beyond_the_integer_range_is_a_404_by_api_and_page(client, db):
    huge = "36167762436183277604709341566337024"
    answer = client.get(f"/api/v1/orgs/{huge}")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert client.get(f"/orgs/{huge}/").status_code == 404
