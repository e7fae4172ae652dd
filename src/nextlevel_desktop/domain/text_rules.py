"""Which characters a name may hold, and the sizes of designed texts (one home for the limits).

Names (processes, stages, exit criteria, activity types, imported people and accounts) are shown
in lists, labels, charts and PDF reports. A control character (NUL, escape, a line break) breaks
or hides them; a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) makes text
display in another order than it is stored ("Trojan Source"), so a name could look like another.
Both are refused with a message naming the character. Longer texts (guidance, notes) may hold
line breaks and tabs, but no other control character and no bidi override either.
"""

from __future__ import annotations

import re

from .errors import ValidationError

# Sizes a process design may have; the designer and the process file import both apply them,
# so the designer cannot build what an import of its own export would refuse.
MAX_PROCESS_NAME = 120
MAX_PURPOSE = 2_000
MAX_STAGE_NAME = 80
MAX_GUIDANCE = 10_000
MAX_CRITERION = 200
MAX_CRITERIA_PER_STAGE = 50
MAX_STAGES = 30
MAX_EXPECTED_DAYS = 3650
MAX_ACTIVITY_TYPE_NAME = 80
MAX_TARGETS = 500
MAX_ACTIVITY_TYPES = 100

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters are Unicode category Cc: U+0000–U+001F and U+007F–U+009F.
_BAD_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BAD_IN_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def bad_character(text: str, multiline: bool = False) -> str | None:
    """The first character ``text`` must not hold, as ``"a control character (U+0000)"``.

    ``multiline`` texts may hold tabs and line breaks."""
    m = (_BAD_IN_TEXT if multiline else _BAD_IN_NAME).search(text)
    if m is None:
        return None
    ch = m.group()
    if ch in BIDI_CONTROLS:
        return f"a right-to-left/left-to-right override character (U+{ord(ch):04X})"
    return f"a control character (U+{ord(ch):04X})"


def check_characters(text: str, what: str, key: str = "name", multiline: bool = False) -> None:
    """Raise ``ValidationError`` "{what} contains a control character (U+0000)." if it does."""
    bad = bad_character(text, multiline)
    if bad is not None:
        raise ValidationError({key: f"{what} contains {bad}."})
