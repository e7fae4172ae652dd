"""Keys, constants, teams, account facts, currency and ``new`` through the real entry point.

The files follow the documented export shapes of the CRMs named in each test.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.services.workspace import WorkspaceService, open_workspace
from nextlevel_desktop.storage.orm import AccountRow, ActivityRow, EngagementRow, PersonRow

# HubSpot > Companies > Export (CSV): "Record ID" is the company's id; "Parent Company" holds
# the parent's record id when the company belongs to a group.
HUBSPOT_COMPANIES = (
    "Record ID,Company name,Industry,Number of Employees,Annual Revenue,Country/Region,"
    "Parent Company,Company size\n"
    '9001,Acme Holding,Manufacturing,1200,"$250,000,000",United States,,Enterprise\n'
    '9002,Acme GmbH,Manufacturing,80,"$12,500,000",Germany,9001,SMB\n'
    "9003,Beta Labs,Software,35,,Canada,,SMB\n"
)
# HubSpot > Deals > Export with associations: "Associated Company ID" is the company's
# Record ID. Two of the deals' company names differ from the company records' names (renamed
# in HubSpot since), which a name match would turn into duplicate accounts.
HUBSPOT_DEALS = (
    "Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Deal owner,"
    "Associated Company,Associated Company ID,Product\n"
    '501,Acme line 2,Proposal,"40,000",2026-01-05,,Ann Rep,ACME Holding Inc.,9001,Robots\n'
    '502,Acme GmbH pilot,Qualified,"5,000",2026-02-01,,Bob Rep,Acme Germany,9002,Service\n'
    '503,Beta starter,Closed won,"2,000",2026-01-10,2026-02-20,Ann Rep,Beta Labs,9003,\n'
)


def _db(path: Path):  # type: ignore[no-untyped-def]
    return open_workspace(path, create=False)[0]


def test_new_then_import_round_trip(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "client.nlw"
    assert main(["new", str(path), "--currency", "usd"]) == 0
    assert "Created the workspace" in capsys.readouterr().out
    db = _db(path)
    assert WorkspaceService(db).settings().currency == "USD"
    db.close()
    assert main(["new", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "x.nlw"), "--currency", "dollars"]) == 2
    assert "not a currency code" in capsys.readouterr().err
    assert not (tmp_path / "x.nlw").exists()

    companies = tmp_path / "companies.csv"
    companies.write_text(HUBSPOT_COMPANIES, encoding="utf-8")
    deals = tmp_path / "deals.csv"
    deals.write_text(HUBSPOT_DEALS, encoding="utf-8")
    base = ["-w", str(path)]
    assert main(["import", str(companies), *base, "--as", "accounts"]) == 0
    out = capsys.readouterr().out
    assert "key          ← Record ID" in out and "Created 3" in out
    stages = ["--stage", "Closed won=Won"]
    assert main(["import", str(deals), *base, "--as", "engagements", *stages]) == 0
    out = capsys.readouterr().out
    assert "account_key  ← Associated Company ID" in out and "Created 3" in out
    db = _db(path)
    with db.read() as s:
        accounts = {a.external_id: a for a in s.execute(select(AccountRow.__table__))}
        deals_ = {e.external_id: e for e in s.execute(select(EngagementRow.__table__))}
    db.close()
    assert len(accounts) == 3  # matched on the key: no "ACME Holding Inc." duplicate
    assert deals_["501"].account_id == accounts["9001"].id
    assert deals_["502"].account_id == accounts["9002"].id
    assert deals_["501"].product == "Robots"
    holding, gmbh = accounts["9001"], accounts["9002"]
    assert gmbh.parent_id == holding.id and holding.parent_id is None
    assert (holding.employees, holding.annual_revenue_minor) == (1200, 25_000_000_000)
    assert (holding.country, holding.size_band, holding.industry) == (
        "United States",
        "Enterprise",
        "Manufacturing",
    )
    # A re-import of both files changes nothing.
    assert main(["import", str(companies), *base, "--as", "accounts"]) == 0
    assert "Created 0, updated 0, left 3 unchanged" in capsys.readouterr().out
    assert main(["import", str(deals), *base, "--as", "engagements", *stages]) == 0
    assert "Created 0, updated 0, left 3 unchanged" in capsys.readouterr().out
    # So does re-importing this workspace's own exports: the facts, parents, products and
    # account keys go out and come back the same.
    # (Four engagements: the won deal handed its account over to farming on import.)
    for what, count in (("accounts", 3), ("engagements", 4)):
        out_file = tmp_path / f"{what}-export.csv"
        assert main(["export", *base, "--what", what, "-o", str(out_file)]) == 0
        capsys.readouterr()
        assert main(["import", str(out_file), *base, "--as", what]) == 0
        assert f"Created 0, updated 0, left {count} unchanged" in capsys.readouterr().out
    exported = (tmp_path / "accounts-export.csv").read_text("utf-8-sig").splitlines()
    assert exported[2] == "9002,Acme GmbH,Manufacturing,SMB,80,12500000.00,Germany,9001,,,"


def test_import_create_and_constants(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Zendesk-style ticket export (no activity type column): ``--set type=…`` gives one; the
    account is found by its id in the ticket's "Organization ID" column."""
    path = tmp_path / "new.nlw"
    accounts = tmp_path / "orgs.csv"
    accounts.write_text("Organization ID,Name\n77,Gamma Ltd\n", encoding="utf-8")
    assert main(["import", str(accounts), "-w", str(path), "--as", "accounts"]) == 2
    assert "There is no workspace" in capsys.readouterr().err
    args = ["import", str(accounts), "-w", str(path), "--as", "accounts", "--create"]
    assert main([*args, "--currency", "GBP"]) == 0
    assert "Created the workspace" in capsys.readouterr().out
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "Ticket ID,Requested,Assignee,Organization ID,Subject\n"
        "T1,2026-03-02 10:00,Cara,77,Login broken\n"
        "T2,2026-03-03 11:30,Cara,77,Invoice question\n",
        encoding="utf-8",
    )
    base = ["import", str(tickets), "-w", str(path), "--as", "activities"]
    # An explicit --map for one field leaves the others guessed (owner, account key, outcome).
    mapped = [*base, "--map", "date=Requested", "--map", "id=Ticket ID", "--process"]
    assert main([*mapped, "Account management"]) == 2
    assert "Type" in capsys.readouterr().err
    assert main([*mapped, "Account management", "--set", "colour=red"]) == 2
    assert "“colour” is not a field" in capsys.readouterr().err
    assert main([*mapped, "Account management", "--set", "type=Support ticket"]) == 0
    out = capsys.readouterr().out
    assert "“Support ticket” (every row)" in out and "Created 2" in out
    db = _db(path)
    with db.read() as s:
        gamma = s.execute(select(AccountRow.__table__)).one()
        rows = list(s.execute(select(ActivityRow.__table__)))
    assert WorkspaceService(db).settings().currency == "GBP"
    db.close()
    assert {r.account_id for r in rows} == {gamma.id} and gamma.external_id == "77"
    assert {r.outcome for r in rows} == {"Login broken", "Invoice question"}


def test_currency_column_that_disagrees_is_a_row_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Salesforce Opportunity report with "Opportunity Currency" (multi-currency orgs)."""
    path = tmp_path / "eur.nlw"
    assert main(["new", str(path), "--currency", "EUR"]) == 0
    src = tmp_path / "opps.csv"
    src.write_text(
        "Opportunity ID,Opportunity Name,Stage,Amount,Currency,Created Date\n"
        "006A,Big one,Proposal,1000,EUR,2026-01-02\n"
        "006B,US one,Proposal,2000,USD,2026-01-03\n",
        encoding="utf-8",
    )
    assert main(["import", str(src), "-w", str(path), "--as", "engagements"]) == 1
    err = capsys.readouterr().err
    assert "Row 3: its currency is USD, but this workspace's currency is EUR" in err


def test_salesforce_users_file_as_teams(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A Salesforce "Users" report (Full Name, Email, Role, Manager, Division), imported as a
    teams file: the role hierarchy's division is the team; the office is the city."""
    path = tmp_path / "t.nlw"
    assert main(["new", str(path)]) == 0
    src = tmp_path / "users.csv"
    src.write_text(
        "Full Name,Email,Manager,Division,City\n"
        "Ann Rep,ann@x.com,Mia Boss,East,Boston\n"
        "Bob Rep,bob@x.com,Mia Boss,East,New York\n"
        "Cy Rep,cy@x.com,Ned Lead,West,Denver\n"
        "Mia Boss,mia@x.com,,East,Boston\n",
        encoding="utf-8",
    )
    base = ["import", str(src), "-w", str(path), "--as", "teams"]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "team         ← Division" in out and "office       ← City" in out
    assert "Created 4" in out and "1 new people" in out  # Ned Lead, named as a manager only
    db = _db(path)
    with db.read() as s:
        people = {p.name: p for p in s.execute(select(PersonRow.__table__))}
    db.close()
    mia = people["Mia Boss"]
    assert people["Ann Rep"].manager_id == mia.id and people["Bob Rep"].manager_id == mia.id
    assert people["Cy Rep"].manager_id == people["Ned Lead"].id
    assert (people["Bob Rep"].team, people["Bob Rep"].office) == ("East", "New York")
    assert main(base) == 0
    assert "Created 0, updated 0, left 4 unchanged" in capsys.readouterr().out


def test_teams_file_without_a_team_column_makes_one_team_per_office(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An org chart as Pipedrive's users export gives it: Name, Manager, Office."""
    path = tmp_path / "o.nlw"
    assert main(["new", str(path)]) == 0
    src = tmp_path / "org.csv"
    src.write_text("Name,Manager,Office\nAnn,Mia,Oslo\nMia,,Oslo\nBo,Mia,Bergen\n", "utf-8")
    assert main(["import", str(src), "-w", str(path), "--as", "teams"]) == 0
    capsys.readouterr()
    db = _db(path)
    with db.read() as s:
        people = {p.name: p for p in s.execute(select(PersonRow.__table__))}
    db.close()
    assert {n: (p.team, p.office) for n, p in people.items()} == {
        "Ann": ("Oslo", "Oslo"),
        "Mia": ("Oslo", "Oslo"),
        "Bo": ("Bergen", "Bergen"),
    }
    assert people["Bo"].manager_id == people["Mia"].id
