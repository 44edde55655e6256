"""A handful of regulation files from the shared regulations collection, unpacked into a temporary folder.

The collection itself (``../shared/corpus-regelgeving/regelgeving.tar.xz``) is never copied into the
repository; tests that need real regulation files unpack only the members named here (a few seconds:
the archive is read once, as a stream)."""
from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from support import SHARED

ARCHIVE = SHARED / "corpus-regelgeving" / "regelgeving.tar.xz"

#: kind/BWB-id of the files unpacked: two acts with a short title (Wmg, Awb), an order in council with one
#: (BBRA), and small regulations that cite them, Book 2 and Book 7 of the Civil Code, and the Code of
#: Criminal Procedure by name.
SLICE = (
    "wet/BWBR0020078", "wet/BWBR0005537", "AMvB/BWBR0003630", "zbo/BWBR0034420", "zbo/BWBR0020765",
    "zbo/BWBR0029142", "AMvB/BWBR0023920", "AMvB/BWBR0034949", "pbo/BWBR0025676", "wet/BWBR0031710",
    "wet/BWBR0033284", "wet/BWBR0025251",
)


def unpack_slice(target: Path, members: tuple[str, ...] = SLICE) -> Path:
    """Unpack the named regulations into ``target/<kind>/<BWB-id>.md``; skips the test when the archive is absent."""
    if not ARCHIVE.is_file():
        pytest.skip(f"{ARCHIVE} not available")
    wanted = {f"regelgeving/{m}.md" for m in members}
    with tarfile.open(ARCHIVE, "r:xz") as tar:
        for info in tar:
            if info.name in wanted and info.isfile():
                dest = target / info.name.split("/", 1)[1]
                dest.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(info)
                assert src is not None
                dest.write_bytes(src.read())
                wanted.discard(info.name)
                if not wanted:
                    break
    assert not wanted, f"missing from the archive: {sorted(wanted)}"
    return target
