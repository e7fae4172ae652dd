"""Making real damage: overwrite a b-tree page of one table in a closed workspace file."""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from pathlib import Path

LEAF, INTERIOR = 0x0D, 0x05


def _page(data: bytes, number: int, size: int) -> tuple[bytes, int]:
    page = data[(number - 1) * size : number * size]
    return page, 100 if number == 1 else 0


def leaf_pages(path: Path, table: str) -> list[int]:
    """The leaf pages of ``table``'s b-tree, left to right (read from the file's bytes)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone()
    finally:
        con.close()
    data = path.read_bytes()
    size = struct.unpack(">H", data[16:18])[0]
    size = 65536 if size == 1 else size
    leaves: list[int] = []

    def walk(number: int) -> None:
        page, hdr = _page(data, number, size)
        kind = page[hdr]
        if kind == LEAF:
            leaves.append(number)
            return
        assert kind == INTERIOR, f"page {number} of {table} is of type {kind:#x}"
        cells = struct.unpack(">H", page[hdr + 3 : hdr + 5])[0]
        right = struct.unpack(">I", page[hdr + 8 : hdr + 12])[0]
        for i in range(cells):
            offset = struct.unpack(">H", page[hdr + 12 + 2 * i : hdr + 14 + 2 * i])[0]
            walk(struct.unpack(">I", page[offset : offset + 4])[0])
        walk(right)

    walk(int(root))
    return leaves


def damage_table_page(path: Path, table: str = "activity") -> int:
    """Overwrite the header of a leaf page in the middle of ``table``; returns its number.

    The eight bytes are written in place, as a failing disk would: the file is never
    truncated, so a workspace open in the app meanwhile reads a damaged page, not an empty file.
    """
    leaves = leaf_pages(path, table)
    assert len(leaves) > 2, f"{table} has too few pages to damage one in the middle"
    number = leaves[len(leaves) // 2]
    with path.open("r+b") as file:
        size = struct.unpack(">H", file.read(18)[16:18])[0]
        file.seek((number - 1) * size)
        file.write(b"\xff" * 8)
    return number


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
