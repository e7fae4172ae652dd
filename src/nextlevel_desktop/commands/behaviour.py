"""``nextlevel-desktop behaviour``: a process-behaviour (XmR) chart of one measure, as JSON."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.behaviour import Measure, chart_json
from ..domain.periods import Granularity
from . import help_for
from .common import add_scope_arguments, opened, print_json, resolve_scope


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "behaviour",
        help=help_for("behaviour"),
        description="Wheeler's XmR chart of one measure per calendar week or month (the window "
        "is widened to whole weeks or months): centre line and natural process limits from the "
        "baseline points, and the signals of rules 1–3. For a person, a team or everybody; "
        "without a period: the current quarter, or the latest quarter with data.",
    )
    add_scope_arguments(p)
    p.add_argument("--measure", required=True, choices=[m.value for m in Measure])
    p.add_argument("--bucket", required=True, choices=["week", "month"])
    p.add_argument(
        "--baseline",
        type=int,
        help="how many first points set the limits (default 12, or all when fewer; at least 6)",
    )
    p.add_argument("--json", action="store_true", required=True, help="print one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with opened(args) as services:
        _, scope = resolve_scope(services, args)
        measure = Measure(args.measure)
        chart = services.health.behaviour(scope, measure, Granularity(args.bucket), args.baseline)
        return print_json(chart_json(chart, money=measure is Measure.WON_VALUE))
