"""Global search: every kind found by text, limited, and safe with LIKE's special characters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nextlevel_desktop.domain.activities import ActivityDraft
from nextlevel_desktop.domain.models import ActivityStatus, ProcessKind
from nextlevel_desktop.services.accounts import AccountDraft, ContactDraft
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.engagements import NewEngagement
from nextlevel_desktop.services.people import PersonDraft
from nextlevel_desktop.services.search import HitKind


def test_each_kind_is_found_and_leads_to_its_account(services: Services) -> None:
    person = services.people.add(PersonDraft("Zoe Quill", "zoe@quill.example")).ids["person"]
    account = services.accounts.create(AccountDraft("Quillfield Ltd", "Paper")).ids["account"]
    services.accounts.add_contact(account, ContactDraft("Ann Quillon", "Buyer", "ann@qf.example"))
    hunting = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    eng = services.engagements.create(NewEngagement(hunting.id, "Paper deal"), account, person)
    call = next(t.id for t in services.activities.activity_types() if t.name == "Call")
    services.activities.log(
        ActivityDraft(
            type_id=call,
            occurred_at=datetime.now(UTC) - timedelta(hours=1),
            account_id=account,
            status=ActivityStatus.DONE,
            outcome="Talked about the quill order",
        )
    )
    hits = services.search.search("quill")
    kinds = [h.kind for h in hits]
    assert kinds == sorted(kinds, key=list(HitKind).index)  # grouped, in a fixed order
    found = {h.kind: h for h in hits}
    assert found[HitKind.ACCOUNT].id == account
    assert found[HitKind.CONTACT].account_id == account
    assert found[HitKind.ENGAGEMENT].id == eng.ids["engagement"]  # by its account's name
    assert found[HitKind.PERSON].id == person
    assert "quill order" in found[HitKind.ACTIVITY].title
    assert found[HitKind.ACTIVITY].account_id == account


def test_short_text_and_wildcards_find_nothing_by_accident(demo_services: Services) -> None:
    assert demo_services.search.search("q") == []
    assert demo_services.search.search("%%") == []  # not "everything"
    assert demo_services.search.search("__") == []
    hits = demo_services.search.search("gmbh", per_kind=3)
    assert 0 < sum(h.kind is HitKind.ACCOUNT for h in hits) <= 3
