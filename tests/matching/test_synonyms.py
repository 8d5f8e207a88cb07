"""Synonym groups: shipped ones, operators' files, abbreviations only as whole latin words."""

from xietong.matching.synonyms import Synonyms


def test_operator_file_adds_a_group(tmp_path):
    extra = tmp_path / "ours.txt"
    extra.write_text("# 本地叫法\n电镜中心, 电子显微镜\n", encoding="utf-8")
    assert "电子显微镜" in Synonyms([extra]).expand("电镜中心")
    assert Synonyms().expand("电镜中心") == ["电镜中心"]


def test_abbreviation_is_not_found_inside_a_longer_latin_word():
    assert Synonyms().expand("semiconductor") == ["semiconductor"]
    assert "扫描电子显微镜" in Synonyms().expand("SEM")


def test_expansion_keeps_the_word_first_and_is_bounded():
    variants = Synonyms().expand("3D打印")
    assert variants[0] == "3d打印" and "增材制造" in variants and len(variants) <= 12
