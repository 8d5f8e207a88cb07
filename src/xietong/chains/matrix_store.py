"""The zone matrices on disk, shared by the web processes and the task worker.

One file per zone, ``<XIETONG_CHAINS_DIR or var/chains>/zone-<id>.npz``: the weighted counts, RCA, presence
and (when the worker computed it) the relatedness density, with the data stamp they were computed for. A file
whose stamp is not the current one is ignored, so a stale file can never be read as current; files are
replaced atomically (written aside, then renamed), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings

log = logging.getLogger(__name__)


def root() -> Path:
    return Path(getattr(settings, "XIETONG_CHAINS_DIR", "") or Path(settings.VAR_DIR) / "chains")


def _path(zone_pk: int) -> Path:
    return root() / f"zone-{int(zone_pk)}.npz"


def _key(stamp: tuple) -> str:
    return repr(stamp)


def _read(zone_pk: int, stamp: tuple) -> dict | None:
    path = _path(zone_pk)
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["stamp"]) != _key(stamp):
                return None
            return {name: data[name] for name in data.files}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as exc:  # a damaged file is recomputed, never trusted
        log.warning("chains: ignoring unreadable matrix file %s (%s)", path, exc)
        return None


def has_density(zone, stamp: tuple) -> bool:
    """Whether the file for this stamp exists and holds the relatedness density."""
    data = _read(zone.pk, stamp)
    return data is not None and "density" in data


def load(zone, stamp: tuple) -> dict | None:
    """The zone's matrix for this stamp from disk as frames (members, names, counts, rca, m and, when the worker
    computed it, density), or None (absent, stale or unreadable)."""
    data = _read(zone.pk, stamp)
    if data is None:
        return None
    members = [str(m) for m in data["members"]]
    index, columns = pd.Index(members), pd.Index(data["segments"].tolist())
    out = {
        "members": members,
        "names": dict(zip(members, json.loads(str(data["names"])), strict=True)),
    }
    for name in ("counts", "rca", "m", "density"):
        if name in data:
            out[name] = pd.DataFrame(data[name], index=index, columns=columns)
    return out


def save(matrix, stamp: tuple) -> None:
    """Leave the matrix on disk for the other processes; a failure to write only costs them a recomputation."""
    arrays = {
        "stamp": np.array(_key(stamp)),
        "members": np.array(matrix.members, dtype=str),
        "names": np.array(json.dumps([matrix.names[m] for m in matrix.members], ensure_ascii=False)),
        "segments": np.asarray(matrix.counts.columns, dtype=np.int64),
        "counts": matrix.counts.to_numpy(),
        "rca": matrix.rca.to_numpy(),
        "m": matrix.m.to_numpy(),
    }
    if matrix._density is not None:
        arrays["density"] = matrix._density.to_numpy()
    directory = root()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".zone-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, **arrays)
            os.replace(tmp, _path(matrix.zone.pk))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("chains: could not keep the zone matrix on disk (%s)", exc)
