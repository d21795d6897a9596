"""One role-play session as a pure, deterministic state machine.

A Session pairs a Scenario with a SessionState (current node, variables, turn count, seed, line
history). `start()` gives the opening line, `reply(text)` plays one learner turn, `end()` ends early.
The state is plain JSON: store it after every turn and `Session.resume` continues exactly.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.detect import Detection, detect
from bot.scenario.model import Branch, Condition, Ending, Scenario

STATE_VERSION = 1


class SessionOver(Exception):
    """reply() was called on a session that has already ended."""


@dataclass
class SessionState:
    scenario_id: str
    node: str
    vars: dict[str, int]
    seed: int
    turn: int = 0
    # Lines said so far (a clock for "least recently seen" variant choice).
    tick: int = 0
    # For each list of variants (keyed "node:<id>", "branch:<node>:<i>", "ending:<id>"):
    # variant index -> tick it was last said at.
    seen: dict[str, dict[str, int]] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    started: bool = False
    finished: bool = False
    ending: str | None = None
    outcome: str | None = None
    # "ending" (reached an ending), "time_up" (turn limit), or who ended it early ("learner", ...).
    end_reason: str | None = None
    version: int = STATE_VERSION

    def to_dict(self) -> dict[str, Any]:
        # A plain copy: dataclasses.asdict recurses and deep-copies, ~30 µs per turn (bench/bench_turn.py).
        data = dict(self.__dict__)
        data["vars"] = dict(self.vars)
        data["seen"] = {key: dict(ticks) for key, ticks in self.seen.items()}
        data["last"] = dict(self.last)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionState:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class TurnResult:
    """What one learner reply did: detection, the branch taken, and what the client says next."""

    turn: int
    reply: str
    detection: Detection
    from_node: str
    to_node: str
    branch: str  # human-readable: "branch 2 (label advice) → bristles", "otherwise", "rule 1 (trust <= 0)"
    lines: tuple[str, ...]
    changes: dict[str, tuple[int, int]]  # variable -> (before, after)
    vars: dict[str, int]
    ended: bool = False
    ending: str | None = None
    outcome: str | None = None
    end_reason: str | None = None
    # Structured form of `branch`: the ways out taken, keyed "<node> branch N", "<node> otherwise",
    # "rule N" (a variable rule that took over after a branch comes second).
    taken: tuple[str, ...] = ()


Detector = Callable[..., Detection]


def _mentions(text: str, cond: Condition) -> bool:
    """The reply holds one of the condition's own words, or a word of one of its named lists."""
    folded = _fold(text)
    patterns = [_mention_pattern(cond.mentions)] if cond.mentions else []
    patterns.extend(_mention_pattern(wl.words) for wl in cond.lists)
    return any(p is not None and p.search(folded) is not None for p in patterns)


@functools.lru_cache(maxsize=1024)
def _mention_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled pattern per `mentions:` list and per named word list (`$money`), shared by every
    condition that names it: any of its phrases as whole words, any case."""
    folded = [p for p in (_fold(phrase).strip() for phrase in phrases) if p]
    if not folded:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, folded)) + r")(?!\w)")


def _fold(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def matches(cond: Condition, detection: Detection, text: str, variables: dict[str, int]) -> bool:
    """True when every part of the condition holds for this reply and these variables, and one of
    its `any` alternatives (if it has some) holds too."""
    if cond.label and detection.label not in cond.label:
        return False
    if cond.not_label and detection.label in cond.not_label:
        return False
    if cond.has and not any(lab in detection.labels for lab in cond.has):
        return False
    if (cond.mentions or cond.lists) and not _mentions(text, cond):
        return False
    if not all(check.holds(variables) for check in cond.checks):
        return False
    return not cond.any or any(matches(alt, detection, text, variables) for alt in cond.any)


class Session:
    def __init__(self, scenario: Scenario, state: SessionState, detector: Detector = detect) -> None:
        self.scenario = scenario
        self.state = state
        self._detect = detector

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def new(
        cls,
        scenario: Scenario,
        seed: int = 0,
        *,
        start: str | None = None,
        variables: dict[str, int] | None = None,
        detector: Detector = detect,
    ) -> Session:
        """A fresh session; `start` and `variables` let tests begin from any node."""
        vars_ = dict(scenario.variables)
        vars_.update(variables or {})
        state = SessionState(scenario_id=scenario.id, node=start or scenario.start, vars=vars_, seed=seed)
        return cls(scenario, state, detector)

    @classmethod
    def resume(cls, scenario: Scenario, data: dict[str, Any], detector: Detector = detect) -> Session:
        return cls(scenario, SessionState.from_dict(data), detector)

    def to_dict(self) -> dict[str, Any]:
        return self.state.to_dict()

    # --- playing -------------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.state.finished

    def start(self) -> tuple[str, ...]:
        """The client's opening line (the start node's line). Calling it again repeats nothing new."""
        self.state.started = True
        node = self.scenario.nodes[self.state.node]
        return (self._pick(f"node:{node.id}", node.says),)

    def reply(self, text: str) -> TurnResult:
        st = self.state
        if st.finished:
            raise SessionOver(f"session for {self.scenario.id!r} has already ended")
        if not st.started:
            self.start()
        st.turn += 1
        detection = self._detect(text, self.scenario.phrases or None)
        before = dict(st.vars)
        from_node = st.node
        node = self.scenario.nodes[from_node]

        chosen: Branch | None = None
        described = ""
        key = ""
        taken: list[str] = []
        for i, rule in enumerate(self.scenario.rules, 1):
            if matches(rule.when, detection, text, st.vars):
                chosen, described, key = rule, f"rule {i} ({rule.when.describe()})", f"rule:{i}"
                taken.append(f"rule {i}")
                break
        if chosen is None:
            for i, br in enumerate(node.branches, 1):
                if matches(br.when, detection, text, st.vars):
                    chosen, described, key = br, f"branch {i} ({br.when.describe()})", f"branch:{node.id}:{i}"
                    taken.append(f"{node.id} branch {i}")
                    break
        if chosen is None and node.otherwise is not None:
            chosen, described, key = node.otherwise, "otherwise", f"otherwise:{node.id}"
            taken.append(f"{node.id} otherwise")

        lines: list[str] = []
        target = from_node
        if chosen is not None:
            self._apply(chosen)
            target = chosen.goto or from_node
            if chosen.says:
                lines.append(self._pick(key, chosen.says))
            if not described.startswith("rule"):
                # Effects may have tipped a variable rule (e.g. trust <= 0): it takes over at once.
                for i, rule in enumerate(self.scenario.rules, 1):
                    if rule.when.reads_variables() and matches(rule.when, detection, text, st.vars):
                        self._apply(rule)
                        described += f", then rule {i} ({rule.when.describe()})"
                        taken.append(f"rule {i}")
                        target = rule.goto or target
                        if rule.says:
                            lines.append(self._pick(f"rule:{i}", rule.says))
                        break
        else:
            described = "no branch matched: stay"

        if target != from_node or not lines:
            lines.extend(self._enter(target))
        st.node = target
        if not st.finished and st.turn >= self.scenario.max_turns:
            lines.extend(self._finish(self.scenario.time_up, "time_up"))
        described += f" → {target}"
        changes = {k: (before.get(k, 0), v) for k, v in st.vars.items() if before.get(k, 0) != v}
        return TurnResult(
            turn=st.turn,
            reply=text,
            detection=detection,
            from_node=from_node,
            to_node=st.node,
            branch=described,
            lines=tuple(lines),
            changes=changes,
            vars=dict(st.vars),
            ended=st.finished,
            ending=st.ending,
            outcome=st.outcome,
            end_reason=st.end_reason,
            taken=tuple(taken),
        )

    def end(self, reason: str = "learner") -> tuple[str, ...]:
        """End early (learner, facilitator, idle, abandoned): the client's closing line, if any."""
        if self.state.finished:
            return ()
        return tuple(self._finish(self.scenario.time_up, reason))

    # --- internals -------------------------------------------------------------------------------
    def _apply(self, branch: Branch) -> None:
        for var, value in branch.set.items():
            self.state.vars[var] = int(value)
        for var, delta in branch.add.items():
            self.state.vars[var] = self.state.vars.get(var, 0) + int(delta)

    def _enter(self, target: str) -> list[str]:
        if target in self.scenario.endings:
            return self._finish(target, "ending")
        node = self.scenario.nodes[target]
        return [self._pick(f"node:{node.id}", node.says)]

    def _finish(self, ending_id: str, reason: str) -> list[str]:
        ending: Ending = self.scenario.endings[ending_id]
        st = self.state
        st.finished, st.ending, st.outcome, st.end_reason = True, ending.id, ending.outcome, reason
        st.node = ending.id
        return [self._pick(f"ending:{ending.id}", ending.says)] if ending.says else []

    def _pick(self, key: str, variants: Sequence[str]) -> str:
        """Least-recently-said variant, never the one said last time, ties broken by the seed."""
        st = self.state
        st.tick += 1
        if len(variants) == 1:
            choice = 0
        else:
            seen = st.seen.get(key, {})
            last = st.last.get(key)
            pool = [i for i in range(len(variants)) if i != last]
            oldest = min(seen.get(str(i), -1) for i in pool)
            pool = [i for i in pool if seen.get(str(i), -1) == oldest]
            # A stable hash of (seed, list, moment): the same session replays identically, in any
            # process, without storing a random generator's state.
            choice = pool[zlib.crc32(f"{st.seed}:{key}:{st.tick}".encode()) % len(pool)]
        st.seen.setdefault(key, {})[str(choice)] = st.tick
        st.last[key] = choice
        return variants[choice]
