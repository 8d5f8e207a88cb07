"""Synonym and abbreviation groups (扫描电镜 / SEM → 扫描电子显微镜) from dictionary files operators extend.

A query word is expanded to every word of each group it names, whole or inside a longer word
(场发射扫描电镜 → 场发射扫描电子显微镜, 场发射sem), so a search typed the way people speak finds
the catalogue's formal names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from .analysis import _data_path, normalize_text

MAX_VARIANTS = 12


@cache
def _groups(paths: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    groups = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0]
            words = tuple(dict.fromkeys(normalize_text(w).strip() for w in line.split(",") if w.strip()))
            if len(words) > 1:
                groups.append(words)
    return tuple(groups)


class Synonyms:
    """Synonym groups from the shipped ``data/synonyms.txt`` plus operators' files.

    Examples
    --------
    >>> sorted(Synonyms().expand("扫描电镜"))
    ['sem', '扫描电子显微镜', '扫描电镜']
    >>> "场发射扫描电子显微镜" in Synonyms().expand("场发射SEM")
    True
    """

    def __init__(self, extra_files: Sequence[str | Path] = ()) -> None:
        self.groups = _groups((str(_data_path("synonyms.txt")), *(str(p) for p in extra_files)))

    def expand(self, word: str) -> list[str]:
        """The word and its variants (the word first); a group's short ASCII words match only whole."""
        word = normalize_text(word).strip()
        out = [word]
        for group in self.groups:
            for term in group:
                if term == word or (len(term) >= 2 and not term.isascii() and term in word):
                    out += [word.replace(term, other) for other in group]
                    break
                if term.isascii() and len(term) >= 2 and _ascii_inside(term, word):
                    out += [word.replace(term, other) for other in group]
                    break
        return list(dict.fromkeys(out))[:MAX_VARIANTS]

    def expand_all(self, words: Iterable[str]) -> list[list[str]]:
        return [self.expand(w) for w in words]


def _ascii_inside(term: str, word: str) -> bool:
    """An abbreviation inside a word only where it is not part of a longer latin word (SEM, not SEMI)."""
    start = word.find(term)
    while start >= 0:
        before = word[start - 1] if start else ""
        after = word[start + len(term) : start + len(term) + 1]
        if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            return True
        start = word.find(term, start + 1)
    return False
