"""The marketplace's match indexes: one `xietong.matching.MatchIndex` per listing kind, under var/.

The database is the truth; the indexes follow it through a change log. Services call `schedule_sync`
inside their transaction: it writes one `IndexChange` row per listing (same transaction, so a rolled
back write leaves none) and, after commit, brings this server's index up to date. Every server keeps
its own on-disk index (`XIETONG_MATCHING_DIR`), shared by all its worker processes (memory-mapped
files), and a checkpoint in the index's meta.json: the last log row it applied, committed with the
index itself. Before a search, a holder asks the log for rows after its checkpoint — one indexed query,
at most once per `XIETONG_MATCHING_POLL_SECONDS` (default 1 s) per kind and process — and applies them
under the server's file lock (one writer per server; a worker that finds the lock taken leaves it to
the one holding it). Readers reopen when meta.json changes. So a listing published through one server
is found through another on its next search a second later; withdrawals likewise.

`rebuild` re-creates an index from the database (the `reindex` command) and records the log position
read before the rows. A broken index never breaks a write or a page: sync errors are logged, searches
fall back to None and the callers then use a plain database search. In-memory indexes (the test suite)
skip the log and sync directly after commit, as before.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction

from xietong.matching import Document, Hit, MatchIndex
from xietong.orgs.enums import Industry, OrgKind
from xietong.regions import selectors as region_selectors
from xietong.transfer.enums import ListingKind, ListingStatus, TransferMode
from xietong.transfer.models import AcceptanceList, Achievement, Contract, Demand, IndexChange

log = logging.getLogger(__name__)
INDEXED_KINDS = (ListingKind.ACHIEVEMENT, ListingKind.DEMAND)
INDUSTRY_LABELS = dict(Industry.choices)
MODE_LABELS = dict(TransferMode.choices)
KIND_LABELS = dict(OrgKind.choices)
APPLY_BATCH = 2000  # log rows applied in one index commit


def poll_seconds() -> float:
    return float(getattr(settings, "XIETONG_MATCHING_POLL_SECONDS", 1.0))


def index_root() -> Path:
    return Path(getattr(settings, "XIETONG_MATCHING_DIR", "") or Path(settings.VAR_DIR) / "matching")


class _Holder:
    """One open index of one kind, reopened when another process changed it on disk."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.lock = threading.RLock()
        self.index: MatchIndex | None = None
        self.seen_mtime: int | None = None
        self.polled_at = float("-inf")

    @property
    def path(self) -> Path | None:
        # XIETONG_MATCHING_IN_MEMORY keeps the indexes in memory (a throwaway instance, the test suite),
        # unless XIETONG_MATCHING_DIR names a directory explicitly.
        in_memory = getattr(settings, "XIETONG_MATCHING_IN_MEMORY", False)
        return (
            None
            if in_memory and not getattr(settings, "XIETONG_MATCHING_DIR", "")
            else index_root() / self.kind
        )

    def _mtime(self) -> int | None:
        path = self.path
        meta = path / "meta.json" if path else None
        return meta.stat().st_mtime_ns if meta and meta.exists() else None

    def get(self) -> MatchIndex:
        """The open index, following commits of other processes (a changed meta.json: `refresh` maps
        the new files; nothing is recomputed)."""
        with self.lock:
            if self.index is None:
                self.index = self._open()
                self.seen_mtime = self._mtime()
            elif self.path is not None and self._mtime() != self.seen_mtime:
                self.seen_mtime = self._mtime()
                self.index.refresh()
            return self.index

    def _open(self) -> MatchIndex:
        """Open the index; one left in an older on-disk format is removed (under the file lock) and
        starts empty: the next catch-up loads the published listings from the database."""
        try:
            return MatchIndex(self.path)
        except ValueError as error:
            if self.path is None or "format" not in str(error):
                raise
            with open(self.path.parent / f"{self.kind}.lock", "w") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    try:
                        return MatchIndex(self.path)  # another process replaced it meanwhile
                    except ValueError:
                        log.warning(
                            "matching index %s has an old format: rebuilt from the database", self.kind
                        )
                        shutil.rmtree(self.path, ignore_errors=True)
                        return MatchIndex(self.path)
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    @contextmanager
    def writing(self, *, wait: bool = True):
        """The index under this process's lock and, on disk, an exclusive file lock between processes
        (one writer per server). With ``wait=False`` it yields None when another process holds the lock."""
        with self.lock:
            path = self.path
            if path is None:
                yield self.get()
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path.parent / f"{self.kind}.lock", "w") as lock_file:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                except BlockingIOError:
                    yield None
                    return
                try:
                    yield self.get()
                    self.seen_mtime = self._mtime()
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def reset(self) -> None:
        with self.lock:
            if self.index is not None:
                self.index.close()
            self.index, self.seen_mtime = None, None


_HOLDERS = {kind: _Holder(kind) for kind in INDEXED_KINDS}


def reset_indexes() -> None:
    """Close every open index: the next use reopens it from disk (or starts empty when kept in memory),
    e.g. after the index directory was restored or its setting changed."""
    for holder in _HOLDERS.values():
        holder.reset()


# ---------------------------------------------------------------- documents


class _Zones:
    """Zone short names per region code, memoised for one batch."""

    def __init__(self) -> None:
        self.cache: dict[str, list[str]] = {}

    def __call__(self, code: str) -> list[str]:
        if code not in self.cache:
            self.cache[code] = [z.short_name for z in region_selectors.zones_for_region(code)]
        return self.cache[code]


def _common_attrs(listing, zones: _Zones) -> dict:
    return {
        "fields": [INDUSTRY_LABELS.get(listing.industry, listing.industry)],
        "zones": zones(listing.region_id),
        "region": listing.region_id,
        "province": listing.region_id[:2] + "0000",
        "transfer_modes": [MODE_LABELS.get(m, m) for m in listing.mode_codes],
        "org_type": KIND_LABELS.get(listing.owner.kind, ""),
        "owner": listing.owner_id,
    }


def achievement_document(
    achievement: Achievement, zones: _Zones | None = None, track_record: int = 0
) -> Document:
    attrs = _common_attrs(achievement, zones or _Zones())
    attrs.update(kind=ListingKind.ACHIEVEMENT, trl=achievement.trl, track_record=track_record)
    if achievement.price_fen:
        attrs["price_fen"] = achievement.price_fen
    return Document(
        id=str(achievement.pk),
        title=achievement.title,
        body="\n".join(filter(None, (achievement.summary, achievement.innovation_points))),
        keywords=tuple(achievement.keywords),
        attrs=attrs,
    )


def demand_document(demand: Demand, zones: _Zones | None = None) -> Document:
    attrs = _common_attrs(demand, zones or _Zones())
    attrs["kind"] = ListingKind.DEMAND
    if demand.trl_min:
        attrs["trl_min"] = demand.trl_min
    if demand.budget_fen:
        attrs["budget_fen"] = demand.budget_fen
    return Document(
        id=str(demand.pk),
        title=demand.title,
        body="\n".join(filter(None, (demand.problem, demand.indicators, demand.basis))),
        keywords=tuple(demand.keywords),
        attrs=attrs,
    )


def as_query(document: Document, kind: str) -> Document:
    """A listing used as a query against the other kind's index. The engine drops the hit whose id
    equals the query's id, and ids are per-kind primary keys, so demand 1 would hide achievement 1:
    the query gets an id no indexed document has."""
    return Document(
        id=f"query:{kind}:{document.id}",
        title=document.title,
        body=document.body,
        keywords=document.keywords,
        attrs=document.attrs,
    )


def acceptance_document(lst: AcceptanceList) -> Document:
    """An acceptance list as a query against achievements (it is never indexed itself)."""
    attrs: dict = {
        "kind": ListingKind.ACCEPTANCE,
        "fields": [INDUSTRY_LABELS.get(i, i) for i in lst.industries],
        "zones": _Zones()(lst.region_id),
        "region": lst.region_id,
    }
    if lst.trl_min:
        attrs["trl_min"] = lst.trl_min
    fields_text = "、".join(attrs["fields"])
    return Document(
        id=f"acceptance-{lst.pk}",
        title=lst.title,
        body="\n".join(filter(None, (fields_text, lst.conditions))),
        keywords=tuple(lst.keywords),
        attrs=attrs,
    )


def _track_records(org_ids: Iterable[int]) -> dict[int, int]:
    from django.db.models import Count

    # system read for the index: counts only, nothing shown
    rows = (
        Contract.objects.filter(
            seller_org_id__in=set(org_ids)
        )  # tenancy-ok: system read for the index: contract counts per seller, nothing shown
        .values("seller_org_id")
        .annotate(n=Count("id"))
    )
    return {r["seller_org_id"]: r["n"] for r in rows}


def _documents(kind: str, pks: Sequence[int] | None) -> tuple[list[Document], list[str]]:
    """(documents to add, ids to delete) for the given rows (all rows when pks is None)."""
    model = Achievement if kind == ListingKind.ACHIEVEMENT else Demand
    qs = model.objects.select_related("owner")  # system read: the index mirrors the table
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    rows = list(qs)
    zones = _Zones()
    records = _track_records(r.owner_id for r in rows) if kind == ListingKind.ACHIEVEMENT else {}
    live = [r for r in rows if r.status == ListingStatus.PUBLISHED]
    if kind == ListingKind.ACHIEVEMENT:
        docs = [achievement_document(r, zones, records.get(r.owner_id, 0)) for r in live]
    else:
        docs = [demand_document(r, zones) for r in live]
    live_ids = {r.pk for r in live}
    gone = [str(pk) for pk in (pks or []) if pk not in live_ids]
    return docs, gone


# ---------------------------------------------------------------- writes


def sync(kind: str, pks: Sequence[int]) -> None:
    """Bring the index in line with these rows; never raises (the reindex command repairs)."""
    try:
        docs, gone = _documents(kind, pks)
        with _HOLDERS[kind].writing() as index:
            if gone:
                index.delete(gone)
            if docs:
                index.add(docs)
    except Exception:
        log.exception("matching index sync failed for %s %s", kind, list(pks))


def schedule_sync(kind: str, pks: Sequence[int]) -> None:
    """Called inside a service's transaction: log the change (same transaction), apply it after
    commit; a rolled-back write leaves neither."""
    pks = list(pks)
    if not pks:
        return
    model = Achievement if kind == ListingKind.ACHIEVEMENT else Demand
    published = set(
        model.objects.filter(pk__in=pks, status=ListingStatus.PUBLISHED).values_list("pk", flat=True)
    )  # tenancy-ok: system read for the index log: ids and status only, nothing shown
    IndexChange.objects.bulk_create(
        IndexChange(
            kind=kind, listing_id=pk, op=IndexChange.UPSERT if pk in published else IndexChange.DELETE
        )
        for pk in pks
    )
    transaction.on_commit(lambda: _after_commit(kind, pks))


def _after_commit(kind: str, pks: list[int]) -> None:
    if _HOLDERS[kind].path is None:
        sync(kind, pks)
    else:
        catch_up(kind, force=True)


def log_position(kind: str) -> int:
    """The id of the kind's latest change-log row (0 when there is none)."""
    last = IndexChange.objects.filter(kind=kind).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def catch_up(kind: str, *, force: bool = False) -> int:
    """Apply the change-log rows after this server's checkpoint; returns how many were applied.

    Without ``force`` it asks the log at most once per `poll_seconds()` and never waits for the
    file lock (the worker holding it is applying the same rows). Never raises: errors are logged and
    the next poll retries from the same checkpoint."""
    holder = _HOLDERS[kind]
    if holder.path is None:
        return 0
    now = time.monotonic()
    if not force and now - holder.polled_at < poll_seconds():
        return 0
    holder.polled_at = now
    try:
        with holder.lock:
            index = holder.get()
            after = index.checkpoint
            if after is not None and not _pending(kind, after, 1):
                return 0
            with holder.writing(wait=force) as index:
                if index is None:
                    return 0
                return _apply_log(kind, index)
    except Exception:
        log.exception("matching index catch-up failed for %s", kind)
        return 0


def _pending(kind: str, after: int, limit: int) -> list[tuple[int, int]]:
    return list(
        IndexChange.objects.filter(kind=kind, id__gt=after)
        .order_by("id")
        .values_list("id", "listing_id")[:limit]
    )


def _apply_log(kind: str, index: MatchIndex) -> int:
    """Under the file lock: apply the rows after the (freshly read) checkpoint, in batches, each batch
    one index commit with its checkpoint."""
    if index.checkpoint is None:
        # an index that never followed the log. One built before the log existed (kept in step by direct
        # syncs) starts at the log's end; an empty one (a new server) loads the published listings, then
        # replays what was logged after the position it read first
        position = log_position(kind)
        if not len(index):
            docs, _ = _documents(kind, None)
            index.apply(add=docs, checkpoint=position)
        else:
            index.apply(checkpoint=position)
    applied = 0
    while rows := _pending(kind, index.checkpoint, APPLY_BATCH):
        docs, gone = _documents(kind, sorted({pk for _, pk in rows}))
        index.apply(add=docs, delete=gone, checkpoint=rows[-1][0])
        applied += len(rows)
    return applied


def rebuild(kind: str) -> int:
    """Re-create one index from the database; returns the number of documents indexed.

    All the listings go to the engine in ONE ``add``: one commit, the derived matrices and the
    semantic layer computed once from the whole corpus (many small adds would commit, and re-derive,
    each time)."""
    holder = _HOLDERS[kind]
    position = log_position(kind)  # read before the rows: changes after it are replayed (idempotent)
    docs, _ = _documents(kind, None)
    with holder.lock:
        if holder.path is None:
            holder.reset()
            with holder.writing() as index:
                index.add(docs)
                _learn_phrasing(index, kind)
            return len(docs)
        target = holder.path
        fresh = target.with_name(target.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        index = MatchIndex(fresh)
        index.add(docs)  # the semantic layer is fitted on the whole corpus at this commit
        _learn_phrasing(index, kind)
        index.apply(checkpoint=position)
        index.close()
        with holder.writing():
            holder.reset()
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            fresh.rename(target)
            shutil.rmtree(old, ignore_errors=True)
            holder.get()
    return len(docs)


def _learn_phrasing(index: MatchIndex, kind: str) -> None:
    """The other kind's listings are this index's queries: phrasing common to them across industries
    and rare here (征集, 诚邀, 攻关 …) is weighted down like the shipped boilerplate list."""
    other = ListingKind.DEMAND if kind == ListingKind.ACHIEVEMENT else ListingKind.ACHIEVEMENT
    try:
        requests, _ = _documents(other, None)
        index.learn_boilerplate(requests)
    except Exception:  # a failed refinement never fails the rebuild
        log.exception("learning request phrasing failed for %s", kind)


# ---------------------------------------------------------------- reads


def search(kind: str, query: str | Document, *, k: int = 10, exclude: Iterable[str] = ()) -> list[Hit] | None:
    """Hits from the index of `kind`, or None when the index cannot answer (callers fall back)."""
    catch_up(kind)
    try:
        with _HOLDERS[kind].lock:
            return _HOLDERS[kind].get().search(query, k=k, exclude=exclude)
    except Exception:
        log.exception("matching index search failed for %s", kind)
        return None


def stats() -> dict[str, dict]:
    out = {}
    for kind, holder in _HOLDERS.items():
        try:
            with holder.lock:
                out[kind] = holder.get().stats()
        except Exception as exc:
            out[kind] = {"error": str(exc)}
    return out
