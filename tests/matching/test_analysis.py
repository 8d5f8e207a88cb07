from __future__ import annotations

from xietong.matching import Analyzer, analyze, normalize_text
from xietong.matching.analysis import NGRAM_PREFIX


def test_words_drop_stop_words_and_punctuation():
    # given
    analyzer = Analyzer(char_ngrams=())
    # when
    words = analyzer.words("本发明公开了一种动力电池的热管理系统，属于新能源汽车领域。")
    # then
    assert "的" not in words and "本发明" not in words and "，" not in words
    assert {"动力电池", "热管理", "新能源汽车"} <= set(words)


def test_domain_dictionary_keeps_technical_terms_whole():
    assert "热管理系统" in Analyzer(char_ngrams=(), search_mode=False).words("热管理系统的设计")


def test_user_dictionary_file_extends_vocabulary(tmp_path):
    # given: an operator's dictionary with a term rjieba would split
    path = tmp_path / "mine.txt"
    path.write_text("# 运营人员词典\n钠离子储能柜 10 n\n", encoding="utf-8")
    # when
    words = Analyzer(user_dictionaries=[path], char_ngrams=(), search_mode=False).words("钠离子储能柜方案")
    # then
    assert "钠离子储能柜" in words


def test_char_ngrams_are_namespaced_and_cover_cjk_runs_only():
    terms = Analyzer(char_ngrams=(2,)).ngrams("热管理abc电池")
    assert terms == [NGRAM_PREFIX + "热管", NGRAM_PREFIX + "管理", NGRAM_PREFIX + "电池"]


def test_ngrams_off():
    assert Analyzer(char_ngrams=()).ngrams("热管理") == []


def test_normalisation_full_width_and_case():
    assert normalize_text("ＬＩ－ＩＯＮ电池５Ｇ") == "li-ion电池5g"
    assert "5g" in Analyzer(char_ngrams=()).words("５Ｇ通信")


def test_custom_stop_words():
    words = Analyzer(stop_words=["电池"], char_ngrams=()).words("电池管理")
    assert "电池" not in words and "管理" in words


def test_keywords_are_indexed_whole_and_split():
    terms = Analyzer(char_ngrams=()).analyze_keywords(["动力电池", "热管理"])
    assert terms[:3] == ["动力电池", "动力", "电池"]
    assert "热管理" in terms


def test_function_twin_matches_class():
    assert analyze("动力电池热管理") == Analyzer().analyze("动力电池热管理")


def test_empty_text():
    assert Analyzer().analyze("") == []
    assert Analyzer().analyze("，。！") == []


def test_ngrams_of_every_length_are_the_runs_substrings():
    # given: two CJK runs split by ASCII and punctuation
    analyzer = Analyzer(char_ngrams=(2, 3))
    # when
    grams = analyzer.ngrams("热管理ab，电池")
    # then
    assert grams == ["#热管", "#管理", "#热管理", "#电池"]


def test_word_verdict_cache_does_not_change_results():
    analyzer = Analyzer(char_ngrams=())
    text = "本发明公开了一种动力电池的热管理系统"
    assert analyzer.words(text) == analyzer.words(text) == Analyzer(char_ngrams=()).words(text)
