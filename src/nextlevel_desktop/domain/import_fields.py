"""What rows can be imported as, their fields, and the header names that usually hold each."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import ValidationError


class ImportKind(enum.StrEnum):
    ENGAGEMENTS = "engagements"
    ACTIVITIES = "activities"
    ACCOUNTS = "accounts"
    PEOPLE = "people"
    TEAMS = "teams"

    @property
    def label(self) -> str:
        return {
            "engagements": "Opportunities / account plans",
            "activities": "Activities",
            "accounts": "Accounts",
            "people": "People",
            "teams": "Teams (person, manager, office)",
        }[self.value]


class DateOrder(enum.StrEnum):
    YMD = "ymd"
    DMY = "dmy"
    MDY = "mdy"

    @property
    def label(self) -> str:
        return {
            "ymd": "Year-month-day (2026-03-31)",
            "dmy": "Day/month/year (31/03/2026)",
            "mdy": "Month/day/year (03/31/2026)",
        }[self.value]


@dataclass(frozen=True)
class FieldSpec:
    """A field rows can be imported into, with the header names that usually hold it."""

    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


_ID_NAMES = ("id", "record id", "external id", "row id")
_ID = FieldSpec(
    "id",
    "ID",
    False,
    (
        *_ID_NAMES,
        "opportunity id",
        "opportunity_id",
        "deal id",
        "activity id",
        "task id",
        "ticket id",
    ),
)
# An engagement's or activity's account by its key (the account's id in the source system):
# HubSpot's "Associated Company ID", Salesforce's "Account ID", Pipedrive's "Organization ID".
_ACCOUNT_KEY = FieldSpec(
    "account_key",
    "Account key (account id)",
    False,
    (
        "account key",
        "account id",
        "accountid",
        "associated company id",
        "associated company ids",
        "company id",
        "organization id",
        "organisation id",
        "org id",
    ),
)
# A currency column: rows in another currency than the workspace's are refused.
_CURRENCY = FieldSpec(
    "currency",
    "Currency",
    False,
    ("currency", "currency code", "currency iso code", "currencyisocode", "deal currency"),
)
_ACCOUNT = FieldSpec(
    "account",
    "Account",
    False,
    (
        "account",
        "account name",
        "organization",
        "organisation",
        "organization name",
        "company",
        "company name",
        "customer",
        "client",
        "associated company",
    ),
)
_OWNER = FieldSpec(
    "owner",
    "Owner",
    False,
    (
        "owner",
        "deal owner",
        "opportunity owner",
        "sales agent",
        "sales_agent",
        "assigned to",
        "sales rep",
        "rep",
        "salesperson",
        "user",
        "person",
        "activity owner",
    ),
)
_NOTES = FieldSpec("notes", "Notes", False, ("notes", "note", "description", "comments", "comment"))
_TEAM_FIELDS = (
    FieldSpec(
        "team",
        "Team",
        False,
        ("team", "team name", "sales team", "territory", "region", "division", "user role"),
    ),
    FieldSpec("office", "Office", False, ("office", "office name", "location", "branch", "city")),
    FieldSpec(
        "manager",
        "Manager",
        False,
        ("manager", "manager name", "manager full name", "reports to", "line manager"),
    ),
)

FIELDS: dict[ImportKind, tuple[FieldSpec, ...]] = {
    ImportKind.ENGAGEMENTS: (
        _ID,
        FieldSpec(
            "name",
            "Name",
            False,
            ("deal name", "opportunity name", "opportunity", "deal", "title", "name", "subject"),
        ),
        FieldSpec(
            "stage",
            "Stage",
            True,
            ("stage", "deal stage", "deal_stage", "opportunity stage", "pipeline stage", "status"),
        ),
        FieldSpec(
            "value",
            "Value",
            False,
            (
                "amount",
                "value",
                "close_value",
                "close value",
                "deal value",
                "opportunity value",
                "revenue",
                "deal amount",
                "expected revenue",
            ),
        ),
        FieldSpec(
            "opened",
            "Opened",
            False,
            (
                "create date",
                "created",
                "created date",
                "created on",
                "engage_date",
                "engage date",
                "opened",
                "open date",
                "start date",
                "date created",
                "deal created",
                "created time",
                "add time",
                "deal add time",
            ),
        ),
        FieldSpec(
            "closed",
            "Closed",
            False,
            (
                "close date",
                "close_date",
                "closed",
                "closed date",
                "closed on",
                "closing date",
                "won/lost date",
                "expected close date",
            ),
        ),
        _ACCOUNT,
        _ACCOUNT_KEY,
        _OWNER,
        FieldSpec("process", "Process", False, ("process", "pipeline")),
        FieldSpec(
            "lost_reason",
            "Lost reason",
            False,
            ("lost reason", "closed lost reason", "churn reason", "reason lost"),
        ),
        FieldSpec(
            "product", "Product", False, ("product", "product name", "products", "line item")
        ),
        _CURRENCY,
        _NOTES,
    ),
    ImportKind.ACTIVITIES: (
        _ID,
        FieldSpec(
            "date",
            "Date",
            True,
            ("date", "activity date", "occurred", "when", "due date", "start date", "created"),
        ),
        FieldSpec("type", "Type", True, ("type", "activity type", "activity", "kind", "category")),
        _OWNER,
        _ACCOUNT,
        _ACCOUNT_KEY,
        FieldSpec(
            "engagement",
            "Opportunity / account plan",
            False,
            (
                "engagement",
                "opportunity account plan",
                "opportunity",
                "deal",
                "deal name",
                "opportunity name",
                "related to",
            ),
        ),
        FieldSpec("process", "Process", False, ("process", "pipeline")),
        FieldSpec("status", "Status", False, ("status", "state", "completed")),
        FieldSpec("duration", "Duration (minutes)", False, ("duration", "minutes", "duration_min")),
        FieldSpec("outcome", "Outcome", False, ("outcome", "result", "subject")),
        _NOTES,
    ),
    ImportKind.ACCOUNTS: (
        FieldSpec(
            "key",
            "Key (account id)",
            False,
            (
                "key",
                "account key",
                *_ID_NAMES,
                "account id",
                "accountid",
                "company id",
                "organization id",
                "organisation id",
            ),
        ),
        FieldSpec(
            "name",
            "Name",
            True,
            ("name", "account name", "company name", "company", "organization", "account"),
        ),
        FieldSpec("industry", "Industry", False, ("industry", "sector", "vertical")),
        FieldSpec(
            "size_band", "Size band", False, ("size band", "size", "company size", "segment")
        ),
        FieldSpec(
            "employees",
            "Employees",
            False,
            ("employees", "number of employees", "numberofemployees", "headcount", "staff"),
        ),
        FieldSpec(
            "annual_revenue",
            "Annual revenue",
            False,
            ("annual revenue", "annualrevenue", "revenue", "yearly revenue", "turnover"),
        ),
        FieldSpec(
            "country", "Country", False, ("country", "country region", "billing country", "nation")
        ),
        FieldSpec(
            "parent",
            "Parent account (key or name)",
            False,
            (
                "parent",
                "parent account",
                "parent company",
                "parent id",
                "parent company id",
                "parent account id",
                "parentid",
            ),
        ),
        FieldSpec("website", "Website", False, ("website", "web", "url", "domain", "web site")),
        FieldSpec("phone", "Phone", False, ("phone", "phone number", "telephone", "tel")),
        _CURRENCY,
        _NOTES,
    ),
    ImportKind.PEOPLE: (
        FieldSpec(
            "name",
            "Name",
            True,
            ("name", "full name", "person", "sales agent", "sales_agent", "owner", "user"),
        ),
        FieldSpec("email", "Email", False, ("email", "e-mail", "email address", "mail")),
        FieldSpec("role", "Role", False, ("role", "title", "position", "job title")),
        *_TEAM_FIELDS,
    ),
    # Who is in which team, under whom, where (an org chart or a CRM's users/roles export).
    ImportKind.TEAMS: (
        FieldSpec(
            "name",
            "Person",
            True,
            ("person", "full name", "name", "user", "user name", "sales rep", "employee"),
        ),
        *_TEAM_FIELDS,
        FieldSpec("email", "Email", False, ("email", "e-mail", "email address", "mail")),
    ),
}

# Field names of earlier versions, still read in saved mappings and ``--map``.
RENAMED = {ImportKind.ACCOUNTS: {"id": "key"}}


def field_spec(kind: ImportKind, name: str) -> FieldSpec:
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    raise ValidationError({name: f"“{name}” is not a field of {kind.value}."})
