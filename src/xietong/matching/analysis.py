"""Chinese text analysis: rjieba words with a domain dictionary, stop words and char n-grams."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import itertools
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

NGRAM_PREFIX = "#"  # char n-gram terms live in their own namespace: "#热管" is not the word "热管"
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAS_WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]")
_ASCII_SHORT = re.compile(r"^[a-z0-9]$")
_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)*%?$")  # bare numbers never count as a match


def _data_path(name: str) -> Path:
    return Path(str(resources.files("xietong.matching") / "data" / name))


def read_word_list(path: str | Path) -> list[str]:
    """Lines of a dictionary or stop-word file; ``#`` starts a comment, the first column is the word."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line.split()[0])
    return words


@cache
def _jieba_class() -> Any:
    """rjieba's ``Jieba`` class, loaded from its compiled module without running the package's
    ``__init__``: that builds a default instance the engine never uses, 33 MB of dictionary in every
    worker process and half a second at start (issue 13: four workers' memory). Were the package
    imported later, it finds this module in ``sys.modules`` and uses it."""
    name = "rjieba.rjieba"
    module = sys.modules.get(name)
    if module is None:
        package = importlib.util.find_spec("rjieba")  # finds the package, does not execute it
        if package is None or not package.submodule_search_locations:
            raise ImportError("rjieba is not installed")
        folder = Path(next(iter(package.submodule_search_locations)))
        path = next(
            folder / f"rjieba{suffix}"
            for suffix in importlib.machinery.EXTENSION_SUFFIXES
            if (folder / f"rjieba{suffix}").exists()
        )
        spec = importlib.util.spec_from_file_location(
            name, path, loader=importlib.machinery.ExtensionFileLoader(name, str(path))
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module.Jieba


@cache
def _jieba(dictionaries: tuple[str, ...]) -> Any:
    """One rjieba instance per set of dictionary files (rjieba's own default dictionary plus these)."""
    jieba = _jieba_class()()
    for path in dictionaries:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            freq = int(parts[1]) if len(parts) > 1 and (parts[1].isascii() and parts[1].isdigit()) else None
            jieba.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
    return jieba


_LEARNABLE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]{2,12}$")


def normalize_text(text: str) -> str:
    """NFKC (full-width to half-width) and lower case: the form every term and explanation refers to."""
    return unicodedata.normalize("NFKC", text).lower()


class Analyzer:
    """Turns text into index terms: words (rjieba, search mode) plus optional CJK char n-grams.

    Parameters
    ----------
    user_dictionaries : sequence of path
        Extra dictionary files (``word [freq] [tag]`` a line), read after the shipped domain dictionary
        ``data/domain_dict.txt``. Operators extend matching vocabulary here without code.
    stop_words : path or iterable of str or None
        None uses the shipped ``data/stopwords.txt``.
    char_ngrams : tuple of int
        Lengths of CJK character n-grams added as extra terms (``()`` turns them off).
    search_mode : bool
        Use rjieba's search mode, which also emits the shorter words inside long ones.

    Examples
    --------
    >>> Analyzer(char_ngrams=()).words("动力电池的热管理")
    ['动力', '电池', '动力电池', '热管', '管理', '热管理']
    """

    def __init__(
        self,
        *,
        user_dictionaries: Sequence[str | Path] = (),
        stop_words: str | Path | Iterable[str] | None = None,
        char_ngrams: tuple[int, ...] = (2,),
        search_mode: bool = True,
        boilerplate: Sequence[str | Path] | None = None,
    ) -> None:
        self.user_dictionaries = tuple(str(p) for p in user_dictionaries)
        self.stop_words = stop_words
        self.char_ngrams = tuple(char_ngrams)
        self.search_mode = search_mode
        self._segmenter = None  # the shared instance, made at first use (see ``_jieba``)
        if stop_words is None:
            stops: Iterable[str] = read_word_list(_data_path("stopwords.txt"))
        elif isinstance(stop_words, str | Path):
            stops = read_word_list(stop_words)
        else:
            stops = stop_words
        self._stops = frozenset(normalize_text(w) for w in stops)
        self._verdicts: dict[str, bool] = {}
        self._keyword_terms: dict[str, list[str]] = {}  # listings repeat their keywords a lot
        self._learned: set[str] = set()
        self._private = False
        phrases: list[str] = []
        for path in (_data_path("boilerplate.txt"), *(boilerplate or ())):
            phrases += read_word_list(path)
        # "=技术": boilerplate only as a word of its own (激光焊接技术 → 激光 焊接 技术), content inside a
        # longer word (技术创新)
        self._standalone = {normalize_text(p[1:]).strip() for p in phrases if p.startswith("=")} - {""}
        self._listed_boilerplate = {normalize_text(p) for p in phrases if not p.startswith("=")}
        self._learned_boilerplate: set[str] = set()
        self._compile_boilerplate()

    def _compile_boilerplate(self) -> None:
        phrases = sorted(self._listed_boilerplate | self._learned_boilerplate, key=len, reverse=True)
        self._boilerplate = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def set_learned_boilerplate(self, phrases: Iterable[str]) -> None:
        """Boilerplate learned from the platform's listings (see ``query.learn_boilerplate``), on top of
        the shipped and the operators' lists; replaces what was learned before."""
        self._learned_boilerplate = {normalize_text(p).strip() for p in phrases} - {""}
        self._compile_boilerplate()

    @property
    def learned_boilerplate(self) -> list[str]:
        return sorted(self._learned_boilerplate)

    def learn_words(self, words: Iterable[str]) -> list[str]:
        """Add the listings' own keywords to the segmenter (液冷热管理 stays one word); returns the new ones.

        The shared rjieba instance is copied first, so one index's vocabulary never leaks into
        another's analysis in the same process.
        """
        new = []
        for word in words:
            word = normalize_text(word).strip()
            if _LEARNABLE.match(word) and word not in self._stops and word not in self._learned:
                new.append(word)
                self._learned.add(word)
        if new:
            if not self._private:
                self._segmenter = _jieba.__wrapped__(
                    (str(_data_path("domain_dict.txt")), *self.user_dictionaries)
                )
                for word in self._learned - set(new):
                    self._jieba.add_word(word, None, None)
                self._private = True
            for word in new:
                self._jieba.add_word(word, None, None)
            self._verdicts.clear()
            self._keyword_terms.clear()  # a new word may cut a keyword differently
        return new

    @property
    def _jieba(self) -> Any:
        """The segmenter: this analyzer's own once it learned words, else the instance shared by the
        analyzers of a process with the same dictionaries. Made at first use: an index opened from
        disk learns its listings' keywords at once, and each instance is ~24 MB of dictionary."""
        if self._segmenter is None:
            self._segmenter = _jieba((str(_data_path("domain_dict.txt")), *self.user_dictionaries))
        return self._segmenter

    @property
    def learned_words(self) -> list[str]:
        return sorted(self._learned)

    def split_boilerplate(self, text: str) -> tuple[str, str]:
        """A request's content and its boilerplate (征集, 相关技术, 合作开发 …), each normalised.

        Examples
        --------
        >>> Analyzer().split_boilerplate("征集液冷热管理等技术的合作开发")
        (' 液冷热管理 的 ', '征集 等技术 合作开发')
        """
        text = normalize_text(text)
        found: list[str] = []
        if self._boilerplate is not None:
            found = self._boilerplate.findall(text)
            text = self._boilerplate.sub(" ", text)
        if self._standalone and any(w in text for w in self._standalone):
            words = self._jieba.cut(text)
            found += [w for w in words if w in self._standalone]
            text = "".join(" " if w in self._standalone else w for w in words)
        return text, " ".join(found)

    def words(self, text: str) -> list[str]:
        """Word tokens in text order (normalised, no stop words, no punctuation, no lone ASCII char)."""
        return self._words(normalize_text(text))

    def _words(self, text: str) -> list[str]:
        """Words of already normalised text; a word's keep/drop verdict is cached (words repeat a lot).

        The index cuts ~130 terms a listing, so the per-word work stays in C: the verdicts are read
        with ``map`` and the words kept with ``compress``; only an unseen word is judged in Python."""
        cut = self._jieba.cut_for_search(text) if self.search_mode else self._jieba.cut(text)
        verdicts = self._verdicts
        try:
            keep = list(map(verdicts.__getitem__, cut))
        except KeyError:
            if len(verdicts) > 1_000_000:
                verdicts.clear()
            for w in cut:
                if w not in verdicts:
                    verdicts[w] = self._keep(w)
            keep = list(map(verdicts.__getitem__, cut))
        return list(itertools.compress(cut, keep))

    def ngrams(self, text: str) -> list[str]:
        """CJK character n-grams of the configured lengths, prefixed with ``#``."""
        return self._ngrams(normalize_text(text))

    def _ngrams(self, text: str) -> list[str]:
        out: list[str] = []
        if not self.char_ngrams:
            return out
        for run in _CJK_RUN.findall(text):
            for n in self.char_ngrams:
                if n == 2:
                    out += [NGRAM_PREFIX + run[i : i + 2] for i in range(len(run) - 1)]
                else:
                    out += [NGRAM_PREFIX + run[i : i + n] for i in range(len(run) - n + 1)]
        return out

    def query_groups(self, text: str) -> list[tuple[str, list[str]]]:
        """A query's words, each with its backoff pieces: ``[(word, [sub-words and char n-grams])]``.

        One word is one query term (rjieba's precise cut); the shorter words inside it (search mode)
        and its character n-grams are only its backoff, counted when a document lacks the whole word.
        N-grams never cross a word boundary. Stop words and bare numbers give no group.

        Examples
        --------
        >>> Analyzer().query_groups("传感器焊接")
        [('传感器', ['传感', '感器', '#传感', '#感器']), ('焊接', ['#焊接'])]
        """
        return self._query_groups(normalize_text(text))

    def boundary_ngrams(self, text: str) -> list[str]:
        """The character bigram across each boundary of two adjacent query words (焊接|机器人 → #接机).

        Word order evidence: a document that has the two words side by side has it, one that has
        them apart does not. Only with ``char_ngrams`` including 2.

        Examples
        --------
        >>> Analyzer().boundary_ngrams("焊接机器人的视觉定位")
        ['#接机', '#觉定']
        """
        if 2 not in self.char_ngrams:
            return []
        out = []
        words = self._jieba.cut(normalize_text(text))
        for a, b in itertools.pairwise(words):
            if self._keep(a) and self._keep(b) and _CJK_RUN.match(a[-1]) and _CJK_RUN.match(b[0]):
                out.append(f"{NGRAM_PREFIX}{a[-1]}{b[0]}")
        return out

    def cut(self, text: str) -> list[str]:
        """Whole words (precise cut, no sub-words), without stop words and bare numbers."""
        return [w for w in self._jieba.cut(normalize_text(text)) if self._keep(w)]

    def _query_groups(self, text: str) -> list[tuple[str, list[str]]]:
        groups = []
        for word in self._jieba.cut(text):
            if not self._keep(word):
                continue
            pieces: list[str] = []
            if self.search_mode and len(word) > 2:
                pieces = [w for w in self._jieba.cut_for_search(word) if w != word and self._keep(w)]
            pieces += [g for g in self._ngrams(word) if g[1:] != word or len(word) == 2]
            groups.append((word, list(dict.fromkeys(pieces))))
        return groups

    def _keep(self, w: str) -> bool:
        keep = self._verdicts.get(w)
        if keep is None:
            keep = self._verdicts[w] = (
                w not in self._stops
                and bool(_HAS_WORD_CHAR.search(w))
                and not _ASCII_SHORT.match(w)
                and not _NUMBER.match(w)
                and w.strip() == w
            )
        return keep

    def analyze(self, text: str) -> list[str]:
        """All index terms of a text: words, then n-grams."""
        text = normalize_text(text)
        return self._words(text) + self._ngrams(text)

    def analyze_keywords(self, keywords: Iterable[str]) -> list[str]:
        """Keyword terms: each keyword whole (exact match) plus its words and n-grams."""
        cache = self._keyword_terms
        terms: list[str] = []
        for keyword in keywords:
            found = cache.get(keyword)
            if found is None:
                if len(cache) > 200_000:
                    cache.clear()
                found = cache[keyword] = self._keyword_terms_of(keyword)
            terms += found
        return terms

    def _keyword_terms_of(self, keyword: str) -> list[str]:
        whole = normalize_text(keyword).strip()
        terms = [whole] if whole and whole not in self._stops else []
        return terms + [w for w in self.analyze(keyword) if w != whole]


def analyze(text: str, **params) -> list[str]:
    """Function twin of :class:`Analyzer`: ``analyze("热管理")`` with the default parameters.

    Examples
    --------
    >>> analyze("热管理", char_ngrams=(2,))
    ['热管', '管理', '热管理', '#热管', '#管理']
    """
    return Analyzer(**params).analyze(text)
