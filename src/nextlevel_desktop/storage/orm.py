"""ORM tables for every glossary term (DESIGN.md §2).

Portable SQL only: enums are strings, money is integer minor units, timestamps are naive UTC
(converted by ``UTCDateTime``), so the same schema runs on PostgreSQL later.

No ``from __future__ import annotations`` here: SQLAlchemy would then compile every ``Mapped``
annotation from its string when the classes are mapped, which makes opening a workspace slower;
only the forward references to classes defined further down are strings.
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC; returns aware UTC. Accepts aware datetimes of any zone."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SettingRow(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class PersonRow(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="rep")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    team: Mapped[str] = mapped_column(String(120), default="", index=True)
    office: Mapped[str] = mapped_column(String(120), default="")
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccountRow(Base):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The account's key in the source system (its id there); imports match on it.
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)
    size_band: Mapped[str] = mapped_column(String(40), default="")
    employees: Mapped[int | None] = mapped_column(Integer)
    annual_revenue_minor: Mapped[int | None] = mapped_column(BigInteger)
    country: Mapped[str] = mapped_column(String(80), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contacts: Mapped[list["ContactRow"]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="ContactRow.id"
    )


class ContactRow(Base):
    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")

    account: Mapped["AccountRow"] = relationship(back_populates="contacts")


class ProcessRow(Base):
    __tablename__ = "process"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    review_cadence_days: Mapped[int] = mapped_column(Integer, default=90)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stages: Mapped[list["StageRow"]] = relationship(
        back_populates="process", order_by="StageRow.position"
    )


class StageRow(Base):
    __tablename__ = "stage"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(8), default="open")
    guidance: Mapped[str] = mapped_column(Text, default="")
    expected_days: Mapped[int | None] = mapped_column(Integer)
    target_conversion: Mapped[int | None] = mapped_column(Integer)
    probability: Mapped[int | None] = mapped_column(Integer)
    color: Mapped[str] = mapped_column(String(16), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    process: Mapped["ProcessRow"] = relationship(back_populates="stages")
    exit_criteria: Mapped[list["ExitCriterionRow"]] = relationship(
        back_populates="stage", cascade="all, delete-orphan", order_by="ExitCriterionRow.position"
    )


class ExitCriterionRow(Base):
    __tablename__ = "exit_criterion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))

    stage: Mapped["StageRow"] = relationship(back_populates="exit_criteria")


class ActivityTypeRow(Base):
    __tablename__ = "activity_type"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_review: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class LostReasonRow(Base):
    __tablename__ = "lost_reason"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


# What the measures read of an engagement besides who, which process and when it closed.
_MEASURED = ("outcome", "opened_on", "value_minor", "stage_id", "stage_entered_at", "account_id")


# The board index's columns, of open engagements only (migration 0009 creates it so). The
# outcome (always empty there) is in it too: SQLite counts an index as covering only if it holds
# every column the statement names, its WHERE clause's included.
BOARD_INDEX = (
    "process_id",
    "stage_id",
    "stage_entered_at",
    "id",
    "owner_id",
    "value_minor",
    "outcome",
)


class EngagementRow(Base):
    __tablename__ = "engagement"
    __table_args__ = (
        Index("ix_engagement_process_stage", "process_id", "stage_id"),
        # Covering: the Monitor's measures (by process or by owner, by closing or opening
        # day; open ones have no closing day) read the index alone, never a table row.
        Index(
            "ix_engagement_process_closed",
            "process_id",
            "closed_on",
            "owner_id",
            *_MEASURED,
        ),
        Index("ix_engagement_process_opened", "process_id", "opened_on", "owner_id"),
        # The Pipeline board: a process's open engagements by stage, oldest in it first (the
        # rowid after the entry time breaks its ties), with what a column's figures sum. Only
        # open ones: a measure of closed engagements never picks it, and it stays small.
        # Migration 0009 makes it on PostgreSQL too; naming ``postgresql_where`` here would load
        # SQLAlchemy's PostgreSQL dialect (40–90 ms CPU) on every start-up, to check the name.
        Index("ix_engagement_board", *BOARD_INDEX, sqlite_where=text("outcome IS NULL")),
        Index(
            "ix_engagement_owner_process",
            "owner_id",
            "process_id",
            "closed_on",
            *_MEASURED,
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    value_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    expected_close: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(8))
    lost_reason: Mapped[str] = mapped_column(String(200), default="")
    stage_entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source_engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagement.id", ondelete="SET NULL")
    )
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StageChangeRow(Base):
    __tablename__ = "stage_change"
    __table_args__ = (
        # In the history's order (time, then id) with whether the entry is known and where it
        # went: a stay's start or an entry's next stage is one seek on the index alone.
        Index(
            "ix_stage_change_engagement_at",
            "engagement_id",
            "changed_at",
            "id",
            "entered_known",
            "to_stage_id",
        ),
        # The engagement and where the entry went next too, so the Monitor's per-stage entries
        # and conversion read only the index (no table row, no lookup per change).
        Index(
            "ix_stage_change_to_at",
            "to_stage_id",
            "changed_at",
            "engagement_id",
            "entered_known",
            "next_stage_id",
        ),
        Index(
            "ix_stage_change_from_at",
            "from_stage_id",
            "changed_at",
            "engagement_id",
            "entered_known",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id", ondelete="CASCADE"))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # False where an import did not say when the engagement entered ``to_stage``: then
    # ``changed_at`` only keeps the history in order, and the stay counts in no time figure.
    entered_known: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    # The stage of the engagement's next change (``None``: none yet): kept by the triggers of
    # ``storage/stage_links.py``, never written here.
    next_stage_id: Mapped[int | None] = mapped_column(Integer)


class ValueChangeRow(Base):
    """One change of an engagement's value: when, from what, to what, by whom (expansion and
    contraction in value and net retention are summed from these, like stage changes)."""

    __tablename__ = "value_change"
    __table_args__ = (Index("ix_value_change_engagement_at", "engagement_id", "changed_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id", ondelete="CASCADE"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    old_value_minor: Mapped[int] = mapped_column(BigInteger)
    new_value_minor: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )


class ActivityRow(Base):
    __tablename__ = "activity"
    __table_args__ = (
        # Covers the Monitor's activity counts per day and type (no table reads).
        Index("ix_activity_process_status_on", "process_id", "status", "occurred_on", "type_id"),
        Index("ix_activity_process_on", "process_id", "occurred_on"),
        # Covers one person's activity counts per day, process, status and type (Monitor).
        Index(
            "ix_activity_person_on", "person_id", "occurred_on", "process_id", "status", "type_id"
        ),
        # Status, type, process and day too: the Monitor's review/at-risk checks and
        # handover lag per account read only the index (about 2x faster for a team than
        # looking each activity up).
        Index(
            "ix_activity_account_at",
            "account_id",
            "occurred_at",
            "status",
            "type_id",
            "process_id",
            "occurred_on",
        ),
        Index("ix_activity_type_on", "type_id", "occurred_on"),
        Index("ix_activity_status_on", "status", "occurred_on"),
        Index("ix_activity_status_at", "status", "occurred_at"),
        Index("ix_activity_occurred_at", "occurred_at"),
        # One person's list newest first (a person filter): its count and any page are a
        # short walk of this index, not a read and sort of the person's every row.
        Index("ix_activity_person_status_at", "person_id", "status", "occurred_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"))
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The local calendar day of occurred_at, written with it: periods are local calendar weeks,
    # months and quarters, and grouping on a stored date keeps the SQL portable and indexable.
    occurred_on: Mapped[date] = mapped_column(Date)
    duration_min: Mapped[int] = mapped_column(Integer, default=0)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagement.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(8), default="done")
    outcome: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TargetRow(Base):
    __tablename__ = "target"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"), index=True)
    measure: Mapped[str] = mapped_column(String(40))
    activity_type_id: Mapped[int | None] = mapped_column(ForeignKey("activity_type.id"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    # A team's own target ("" = none): with neither person nor team, the whole workspace's.
    team: Mapped[str] = mapped_column(String(120), default="")
    period: Mapped[str] = mapped_column(String(8))
    # Hundredths of the target's unit (counts, percent, days or money minor units): exact.
    value_x100: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)


class ReviewRow(Base):
    """A review of one person (``person_id``) or of one team (``team``): exactly one is set."""

    __tablename__ = "review"
    __table_args__ = (
        Index("ix_review_person_held", "person_id", "held_on"),
        Index("ix_review_team_held", "team", "held_on"),
        CheckConstraint(
            "(person_id IS NULL) <> (team IS NULL) AND (team IS NULL OR team <> '')",
            name="person_or_team",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    team: Mapped[str | None] = mapped_column(String(120))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    period: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actions: Mapped[list["AgreedActionRow"]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="AgreedActionRow.position",
        foreign_keys="AgreedActionRow.review_id",
    )


class AgreedActionRow(Base):
    __tablename__ = "agreed_action"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[date | None] = mapped_column(Date)

    review: Mapped["ReviewRow"] = relationship(back_populates="actions", foreign_keys=[review_id])


class ActivityCountRow(Base):
    """How many activities there are per process, type, person (0: nobody) and status, kept
    by triggers on ``activity`` (migration 0002) in the transaction of every write: the
    activity list counts a million rows by summing a few hundred."""

    __tablename__ = "activity_count"
    process_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
