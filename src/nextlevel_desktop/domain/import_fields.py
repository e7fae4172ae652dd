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
    # One row per stage an engagement entered (Salesforce's Opportunity History, Pipedrive's
    # deal flow): for engagements imported before, matched on their id.
    STAGE_HISTORY = "stage-history"
    TEAMS = "teams"

    @property
    def label(self) -> str:
        return {
            "engagements": "Opportunities / account plans",
            "activities": "Activities",
            "accounts": "Accounts",
            "people": "People",
            "stage-history": "Stage history (one row per stage entered)",
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
        # A forecast, never a close: lost deals do not close in the future. (Before
        # "closed": its header holds "close date" too.)
        FieldSpec(
            "expected_close",
            "Expected close",
            False,
            ("expected close date", "expected close", "forecast close date", "estimated close"),
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
                "close time",
                "deal closed on",
            ),
        ),
        # Pipedrive keeps the moment of a win and of a loss in two columns.
        FieldSpec("won_time", "Won time", False, ("won time", "won date", "date won", "won on")),
        FieldSpec(
            "lost_time", "Lost time", False, ("lost time", "lost date", "date lost", "lost on")
        ),
        # Won/lost beside the stage (Pipedrive: the stage stays the last open one).
        FieldSpec(
            "outcome",
            "Status (open/won/lost)",
            False,
            ("deal status", "outcome", "opportunity status", "won lost", "won/lost"),
        ),
        # When the current stage was entered (Pipedrive's "Last stage change").
        FieldSpec(
            "stage_changed",
            "Last stage change",
            False,
            (
                "last stage change",
                "last stage change date",
                "stage changed",
                "stage change date",
                "date of last stage change",
                "stage entered",
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
    ImportKind.STAGE_HISTORY: (
        FieldSpec(
            "engagement",
            "Opportunity / account plan ID",
            True,
            (
                "opportunity id",
                "opportunityid",
                "deal id",
                "record id",
                "engagement",
                "engagement id",
                "id",
                "deal",
                "opportunity",
            ),
        ),
        FieldSpec(
            "stage",
            "Stage",
            True,
            (
                "stage",
                "stage name",
                "stagename",
                "to stage",
                "new stage",
                "deal stage",
                "new value",
            ),
        ),
        FieldSpec(
            "entered_at",
            "Entered at",
            True,
            (
                "entered at",
                "stage entered",
                "entered",
                "created date",
                "createddate",
                "changed at",
                "change date",
                "edit date",
                "date",
                "time",
                "log time",
                "timestamp",
            ),
        ),
    ),
}

# Per-stage date columns (HubSpot: ``Date entered "Qualified (Sales Pipeline)"``) are mapped
# to these field names followed by the file's stage text, resolved like stage values.
ENTERED_PREFIX = "entered:"
EXITED_PREFIX = "exited:"
STAGE_DATE_PREFIXES = (ENTERED_PREFIX, EXITED_PREFIX)


def is_stage_date_field(name: str) -> bool:
    return name.startswith(STAGE_DATE_PREFIXES) and len(name) > len(ENTERED_PREFIX)


# Field names of earlier versions, still read in saved mappings and ``--map``.
RENAMED = {ImportKind.ACCOUNTS: {"id": "key"}}


def field_spec(kind: ImportKind, name: str) -> FieldSpec:
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    if kind is ImportKind.ENGAGEMENTS and is_stage_date_field(name):
        prefix, stage = name.split(":", 1)
        return FieldSpec(name, f"Date {prefix} “{stage}”")
    raise ValidationError({name: f"“{name}” is not a field of {kind.value}."})
