"""How an import writes: the statements and settings its one transaction runs with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.services.bulk_insert import ROOMY_CACHE_KIB
from nextlevel_desktop.services.container import Services

ACTIVITIES = "Date,Activity Type,Assigned To,Company,Notes\n" + "".join(
    f"2026-03-{1 + i % 28:02d} 10:30,Call,Ann Lee,Acme,note {i}\n" for i in range(50)
)


def _import(services: Services, csv: str, kind: ImportKind) -> None:
    table = parse_csv(csv.encode())
    mapping = ImportMapping(kind, services.importing.guess(table, kind))
    services.importing.run(table, mapping)


def test_an_import_inserts_with_a_roomy_page_cache_and_gives_it_back(
    services: Services,
) -> None:
    """The default 2 MiB cache spilled a big import's index pages into the WAL and read them
    back within the transaction; the import runs with more room, then sets the size back."""
    seen: list[int] = []

    def before(_conn: Any, cursor: Any, statement: str, *_a: Any) -> None:
        if statement.startswith("INSERT INTO activity "):
            seen.append(cursor.connection.execute("PRAGMA cache_size").fetchone()[0])

    engine = services.db.engine
    with engine.connect() as conn:
        default = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    event.listen(engine, "before_cursor_execute", before)
    try:
        _import(services, ACTIVITIES, ImportKind.ACTIVITIES)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert seen and set(seen) == {-ROOMY_CACHE_KIB}
    with engine.connect() as conn:  # (the pool's one connection, as the import left it)
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == default
