"""Document store: the indexed documents' fields and attributes, in SQLite (a file or memory)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .types import Document


class DocStore:
    """Rows ``(doc, id, live, data)``: ``doc`` is the internal integer id used by the segments."""

    def __init__(self, path: Path | None) -> None:
        self.connection = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self.connection.execute("PRAGMA journal_mode=WAL") if path else None
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS docs (doc INTEGER PRIMARY KEY, id TEXT NOT NULL, live INTEGER NOT NULL, data TEXT NOT NULL)"
        )
        self.connection.commit()

    def live_ids(self) -> Iterator[tuple[str, int]]:
        yield from self.connection.execute("SELECT id, doc FROM docs WHERE live = 1")

    def insert(self, rows: Iterable[tuple[int, Document]]) -> None:
        self.connection.executemany(
            "INSERT INTO docs (doc, id, live, data) VALUES (?, ?, 1, ?)",
            ((doc, d.id, json.dumps(d.to_dict(), ensure_ascii=False)) for doc, d in rows),
        )

    def mark_deleted(self, docs: Sequence[int]) -> None:
        self.connection.executemany("UPDATE docs SET live = 0 WHERE doc = ?", ((int(d),) for d in docs))

    def purge(self, *, below: int | None = None, at_or_above: int | None = None) -> None:
        """Drop deleted rows (after a merge) or rows written after the last committed meta."""
        if at_or_above is not None:
            self.connection.execute("DELETE FROM docs WHERE doc >= ?", (at_or_above,))
        if below is not None:
            self.connection.execute("DELETE FROM docs WHERE live = 0 AND doc < ?", (below,))

    def get(self, docs: Sequence[int]) -> dict[int, Document]:
        out: dict[int, Document] = {}
        docs = [int(d) for d in docs]
        for start in range(0, len(docs), 500):
            chunk = docs[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for doc, doc_id, data in self.connection.execute(
                f"SELECT doc, id, data FROM docs WHERE doc IN ({marks})", chunk
            ):
                out[doc] = Document.from_dict(doc_id, json.loads(data))
        return out

    def iter_live(self, batch: int = 10_000) -> Iterator[list[tuple[int, Document]]]:
        last = -1
        while True:
            rows = self.connection.execute(
                "SELECT doc, id, data FROM docs WHERE live = 1 AND doc > ? ORDER BY doc LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            yield [(doc, Document.from_dict(doc_id, json.loads(data))) for doc, doc_id, data in rows]
            last = rows[-1][0]

    def commit(self) -> None:
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()
