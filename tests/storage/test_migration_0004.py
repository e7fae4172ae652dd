"""Migration 0004 (teams, account facts, product): a 0001 workspace keeps every row."""

from __future__ import annotations

from pathlib import Path

from old_workspaces import workspace_at_0001

from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace


def test_a_0001_workspace_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.nlw"
    con = workspace_at_0001(path)
    con.executescript(
        """
        INSERT INTO person (id, name, email, role, active, created_at)
            VALUES (1, 'Ann', 'ann@x.com', 'rep', 1, '2026-01-01');
        INSERT INTO account (id, name, industry, website, phone, notes, external_id, archived,
            created_at) VALUES (1, 'Acme', 'Retail', '', '', 'n', 'C-1', 0, '2026-01-01');
        INSERT INTO process (id, kind, name, purpose, archived, position, review_cadence_days,
            created_at) VALUES (1, 'hunting', 'Sales', '', 0, 0, 90, '2026-01-01');
        INSERT INTO stage (id, process_id, name, position, category, guidance, color, archived)
            VALUES (1, 1, 'Lead', 0, 'open', '', '', 0);
        INSERT INTO engagement (id, process_id, account_id, owner_id, stage_id, name,
            value_minor, lost_reason, notes, created_at, external_id)
            VALUES (1, 1, 1, 1, 1, 'Deal', 500, '', '', '2026-01-01', 'D-1');
        INSERT INTO target (id, process_id, measure, person_id, period, value_x100, valid_from)
            VALUES (1, 1, 'won_count', 1, 'month', 300, '2026-01-01');
        INSERT INTO setting (key, value) VALUES ('currency', 'USD');
        """
    )
    con.commit()
    con.close()
    db, created = open_workspace(path, create=False)
    try:
        assert not created
        services = Services.for_database(db)
        (ann,) = services.people.people()
        assert (ann.name, ann.email, ann.team, ann.office, ann.manager_id) == (
            "Ann",
            "ann@x.com",
            "",
            "",
            None,
        )
        acme = services.accounts.get(1)
        assert (acme.name, acme.industry, acme.notes, acme.external_id) == (
            "Acme",
            "Retail",
            "n",
            "C-1",
        )
        assert (acme.employees, acme.annual_revenue_minor, acme.parent_id) == (None, None, None)
        deal = services.engagements.get(1)
        assert (deal.name, deal.value_minor, deal.external_id, deal.product) == (
            "Deal",
            500,
            "D-1",
            "",
        )
        (target,) = services.design.targets(1)
        assert (target.person_id, target.value, target.team) == (1, 3.0, "")
        assert services.workspace.settings().currency == "USD"
    finally:
        db.close()
