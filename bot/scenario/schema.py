"""The shape of a scenario file: which keys each part takes (key -> required?) and how names look.

docs/scenarios.md documents the same thing for people; keep the two in step.
"""

from __future__ import annotations

import re

TOP_KEYS = {
    "id": True,
    "title": True,
    "summary": True,
    "language": False,
    "difficulty": False,
    "persona": True,
    "objectives": False,
    "facilitator_notes": False,
    "content_notes": False,
    "max_turns": True,
    "time_up": True,
    "variables": False,
    "meter": False,
    "phrases": False,
    "words": False,
    "rules": False,
    "start": True,
    "nodes": True,
    "endings": True,
    "tests": False,
}
PERSONA_KEYS = {"name": True, "pronouns": False, "age": False, "background": False, "concern": False}
NODE_KEYS = {
    "says": True,
    "feels": False,
    "model_reply": False,
    "why": False,
    "branches": False,
    "otherwise": False,
}
BRANCH_KEYS = {"when": False, "goto": False, "says": False, "set": False, "add": False, "note": False}
RULE_KEYS = {**BRANCH_KEYS, "when": True}
OTHERWISE_KEYS = {k: False for k in BRANCH_KEYS if k != "when"}
WHEN_KEYS = {"label": False, "not_label": False, "has": False, "mentions": False, "if": False, "any": False}
ENDING_KEYS = {"outcome": True, "summary": False, "says": True}
TEST_KEYS = {"name": True, "start": False, "vars": False, "replies": True, "expect": True}
EXPECT_KEYS = {"path": False, "ending": False, "vars": False}

# A persona's age, if given: a person a career counsellor could plausibly meet.
MIN_AGE, MAX_AGE = 10, 110
# A language tag as in BCP 47, simplified: `en`, `fr-CA`, `zh-Hant`.
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
SCENARIO_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NAME = re.compile(r"[A-Za-z0-9_-]+")
# A named word list (`words: {money: [...]}`) and a use of one in `mentions` (`$money`).
WORD_LIST = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
WORD_LIST_REF = re.compile(r"\$[A-Za-z]")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CHECK = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*([+-]?\d+)\s*")
