import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "i18n_en.py"


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_en", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_template_string_has_an_english_translation():
    tool = _tool()
    assert sorted(tool.template_msgids() - set(tool.EN)) == []


def test_compiled_catalogue_is_current():
    import gettext

    tool = _tool()
    with tool.PO.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, msgstr in tool.EN.items():
        assert catalogue.gettext(msgid) == (msgstr or msgid)


def test_chinese_by_default_even_for_an_english_browser(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert '<html lang="zh-hans"' in page.content.decode()


def test_the_language_switch_is_what_turns_english_on(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()
    client.cookies["django_language"] = "xx-bogus"
    assert '<html lang="zh-hans"' in client.get("/").content.decode()
