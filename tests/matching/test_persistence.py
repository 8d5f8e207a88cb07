"""The shared on-disk index: memory-mapped immutable files, commits through meta.json, readers follow."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from xietong.matching import Document, MatchConfig, MatchIndex

SEMANTIC = MatchConfig(semantic_dim=8)


def _corpus(n: int = 60) -> list[Document]:
    return [
        Document(id=f"b{i}", title=f"电池材料{i}", body="正极 负极 电解液 隔膜 电池 能量密度" * (1 + i % 3))
        for i in range(n // 2)
    ] + [
        Document(id=f"w{i}", title=f"小麦育种{i}", body="小麦 抗旱 品种 产量 分子标记 育种" * (1 + i % 3))
        for i in range(n // 2)
    ]


def _mapped(array) -> bool:
    """Whether an array's memory is a memory map of a file (a view's base chain ends in np.memmap)."""
    while array is not None:
        if isinstance(array, np.memmap):
            return True
        array = getattr(array, "base", None)
    return False


def _ranking(index: MatchIndex, query: str) -> list[tuple[str, float]]:
    return [(h.id, h.score) for h in index.search(query, k=10)]


def test_a_reopened_index_maps_its_arrays_and_recomputes_nothing(tmp_path, monkeypatch):
    # given: a committed index with the semantic layer
    writer = MatchIndex(tmp_path / "idx", config=SEMANTIC)
    writer.add(_corpus())
    expected = _ranking(writer, "电解液")
    # when: another object opens it (as another process would)
    reader = MatchIndex(tmp_path / "idx")
    segment = reader._segments[0]
    # then: every array is a read-only memory map of a file, and no derived matrix is recomputed
    arrays = (segment.doc_ids, segment.impact.data, segment.unit_rows.data)
    for array in (*arrays, segment.embeddings.codes, segment.embeddings.scale):
        assert _mapped(array)
    assert _mapped(reader._semantic.term_vectors_.codes) and _mapped(reader._df)

    def forbidden(*args, **kwargs):
        raise AssertionError("a reader recomputed a derived matrix")

    monkeypatch.setattr(type(segment), "compute_impact", forbidden)
    monkeypatch.setattr(reader._semantic, "transform", forbidden)
    assert _ranking(reader, "电解液") == expected


def test_a_reader_follows_the_writers_commits_with_refresh(tmp_path):
    writer = MatchIndex(tmp_path / "idx", config=MatchConfig(semantic_weight=0))
    writer.add([Document(id="a", title="动力电池热管理")])
    reader = MatchIndex(tmp_path / "idx")
    assert reader.refresh() is False  # nothing new
    # when: the writer adds and deletes
    writer.add([Document(id="b", title="固态电解质薄膜")])
    writer.delete(["a"])
    # then: the reader still answers from its commit until it refreshes
    assert [h.id for h in reader.search("热管理", k=5)] == ["a"]
    assert reader.refresh() is True
    assert reader.search("热管理", k=5) == []
    assert [h.id for h in reader.search("固态电解质", k=5)] == ["b"]
    assert len(reader) == 1 and "a" not in reader and "b" in reader


def test_a_stale_object_catches_up_before_it_writes(tmp_path):
    first = MatchIndex(tmp_path / "idx", config=MatchConfig(semantic_weight=0))
    first.add([Document(id="a", title="动力电池热管理")])
    second = MatchIndex(tmp_path / "idx")
    second.add([Document(id="b", title="固态电解质薄膜")])
    # when: the first object writes again without having seen the second's commit
    first.add([Document(id="c", title="液冷板设计")])
    # then: nothing is lost
    reopened = MatchIndex(tmp_path / "idx")
    assert sorted(h.id for h in reopened.search("热管理 电解质 液冷", k=5)) == ["a", "b", "c"]


def test_an_add_not_committed_to_meta_is_dropped_on_reopen(tmp_path, monkeypatch):
    # given: a committed index
    path = tmp_path / "idx"
    index = MatchIndex(path, config=MatchConfig(semantic_weight=0))
    index.add([Document(id="a", title="动力电池热管理")])
    # when: an add writes its rows and files but the process dies before swapping meta.json
    real_replace = Path.replace

    def dies_at_the_swap(self, target):
        if Path(target).name == "meta.json":
            raise KeyboardInterrupt("killed")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", dies_at_the_swap)
    with pytest.raises(KeyboardInterrupt):
        index.add([Document(id="b", title="固态电解质薄膜")])
    monkeypatch.undo()
    index.close()
    # then: the reopened index is the last commit; the next write numbers its rows afresh
    reopened = MatchIndex(path)
    assert len(reopened) == 1 and "b" not in reopened
    assert reopened.search("固态电解质", k=5) == []
    reopened.add([Document(id="c", title="液冷板设计")])
    again = MatchIndex(path)
    assert [h.id for h in again.search("液冷板", k=5)] == ["c"]
    assert again.search("固态电解质", k=5) == [] and len(again) == 2


def test_apply_commits_changes_and_checkpoint_together(tmp_path):
    index = MatchIndex(tmp_path / "idx", config=MatchConfig(semantic_weight=0))
    index.apply(add=[Document(id="a", title="动力电池热管理")], checkpoint=7)
    index.apply(add=[Document(id="b", title="固态电解质")], delete=["a", "zz"], checkpoint=9)
    meta = json.loads((tmp_path / "idx" / "meta.json").read_text(encoding="utf-8"))
    assert meta["checkpoint"] == 9 and meta["documents"] == 1
    reopened = MatchIndex(tmp_path / "idx")
    assert reopened.checkpoint == 9 and "a" not in reopened and "b" in reopened


def test_files_of_old_commits_are_removed(tmp_path):
    config = MatchConfig(semantic_weight=0, max_segments=2)
    index = MatchIndex(tmp_path / "idx", config=config)
    for i in range(6):
        index.add([Document(id=f"d{i}", title=f"热管理方案{i}")])
        index.delete([f"d{i - 1}"]) if i % 2 else None
    index.optimize()
    meta = json.loads((tmp_path / "idx" / "meta.json").read_text(encoding="utf-8"))
    folders = sorted(p.name for p in (tmp_path / "idx").iterdir() if p.is_dir())
    assert folders == [e["name"] for e in meta["segments"]] and len(folders) == 1
    assert sorted(p.name for p in (tmp_path / "idx").glob("df-*.npy")) == [meta["files"]["df"]]
    # a copy of the folder is a complete index (nothing outside it is needed)
    shutil.copytree(tmp_path / "idx", tmp_path / "copy")
    assert len(MatchIndex(tmp_path / "copy")) == 3
