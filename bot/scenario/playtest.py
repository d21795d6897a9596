"""Playing a scenario without a person: its expected conversations (`tests:`) and random walks.

Both drive the real engine (bot.engine.Session) with the real detector, so a passing test means a
learner typing those replies gets that conversation.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from bot.detect import detect
from bot.engine import Session, matches
from bot.scenario.model import Branch, Condition, Scenario, ScenarioTest

log = logging.getLogger(__name__)

# How often a walk aims a reply at a branch of the current node it has not taken yet.
AIM = 0.4
# Share of runs played by a learner who mostly listens (so the endings good listening earns show up).
LISTENERS = 0.2
LISTENING = {"empathy": 1.0, "open_question": 0.5}
# Candidate replies tried (each checked with the detector) before giving up on aiming.
AIM_TRIES = 12


# --- expected conversations ---------------------------------------------------------------------
@dataclass(frozen=True)
class TestResult:
    name: str
    line: int
    passed: bool
    difference: str = ""
    path: tuple[str, ...] = ()


def run_tests(sc: Scenario) -> list[TestResult]:
    return [run_test(sc, test) for test in sc.tests]


def run_test(sc: Scenario, test: ScenarioTest) -> TestResult:
    """Play the test's replies; the first difference from what it expects, if any."""
    session = Session.new(sc, seed=0, start=test.start, variables=test.vars)
    path: list[str] = []

    def result(difference: str = "") -> TestResult:
        return TestResult(test.name, test.line, not difference, difference, tuple(path))

    try:
        session.start()
        for i, reply in enumerate(test.replies, 1):
            if session.finished:
                return result(
                    f'reply {i} ("{reply}") is never used: the session already ended at "{path[-1]}"'
                )
            turn = session.reply(reply)
            path.append(turn.to_node)
            if i <= len(test.expect_nodes) and turn.to_node != test.expect_nodes[i - 1]:
                return result(
                    f'after reply {i} ("{reply}") expected "{test.expect_nodes[i - 1]}" but went to '
                    f'"{turn.to_node}" (detected {turn.detection.label}; {turn.branch})'
                )
    except Exception as exc:  # an engine bug should fail the test, not crash the whole run
        log.exception("engine error in test %r of %s", test.name, sc.id)
        return result(f"the engine raised {type(exc).__name__}: {exc}")
    if test.expect_nodes and len(path) > len(test.expect_nodes):
        return result(
            f"expected path ends after {len(test.expect_nodes)} step(s) but the conversation went on: "
            + " → ".join(path)
        )
    if test.expect_ending and session.state.ending != test.expect_ending:
        where = (
            f'ended at "{session.state.ending}"'
            if session.finished
            else f'is still at "{session.state.node}"'
        )
        return result(f'expected ending "{test.expect_ending}" but the conversation {where}')
    for var, want in test.expect_vars.items():
        got = session.state.vars.get(var)
        if got != want:
            return result(f"expected {var} = {want} at the end but it is {got}")
    return result()


# --- random walks -------------------------------------------------------------------------------
@cache
def reply_bank() -> dict[str, tuple[str, ...]]:
    """The built-in replies per label (bot/scenario/replies.yaml), plus `mention_templates`."""
    text = resources.files("bot.scenario").joinpath("replies.yaml").read_text(encoding="utf-8")
    return {key: tuple(values) for key, values in yaml.safe_load(text).items()}


@dataclass
class Run:
    number: int
    path: list[str] = field(default_factory=list)
    ending: str | None = None
    end_reason: str | None = None
    error: str = ""


@dataclass
class WalkReport:
    scenario: Scenario
    runs: list[Run]
    seed: int
    nodes_seen: set[str]
    branches_taken: Counter[str]
    all_branches: dict[str, str]  # key -> description

    @property
    def endings(self) -> Counter[str]:
        return Counter(r.ending for r in self.runs if r.ending)

    @property
    def timed_out(self) -> list[Run]:
        return [r for r in self.runs if r.end_reason == "time_up"]

    @property
    def errors(self) -> list[Run]:
        return [r for r in self.runs if r.error]

    def render(self) -> str:
        sc, n = self.scenario, len(self.runs)
        lines = [f"walk {sc.id}: {n} random run{'s' if n != 1 else ''}, seed {self.seed}"]
        lines.append("endings:")
        for ending in sc.endings.values():
            count = self.endings.get(ending.id, 0)
            extra = " (incl. the turn limit)" if ending.id == sc.time_up else ""
            lines.append(f"  {ending.id:<24} {ending.outcome:<12} {count:>5}  {count / n:6.1%}{extra}")
        nodes = len(self.nodes_seen & set(sc.nodes))
        lines.append(f"nodes visited: {nodes}/{len(sc.nodes)} ({nodes / len(sc.nodes):.0%})")
        for ident in sc.nodes:
            if ident not in self.nodes_seen:
                lines.append(f"  never visited: {ident}")
        taken = [k for k in self.all_branches if self.branches_taken[k]]
        total = len(self.all_branches) or 1
        lines.append(f"branches taken: {len(taken)}/{len(self.all_branches)} ({len(taken) / total:.0%})")
        for key, desc in self.all_branches.items():
            if not self.branches_taken[key]:
                lines.append(f"  never taken: {key} ({desc})")
        timed = self.timed_out
        lines.append(f"runs that hit the turn limit ({sc.max_turns}) without an ending: {len(timed)}")
        for run in timed[:3]:
            lines.append(f"  run {run.number}: " + " → ".join(run.path))
        for run in self.errors:
            lines.append(f"  ENGINE ERROR in run {run.number}: {run.error}")
        return "\n".join(lines)


def branch_keys(sc: Scenario) -> dict[str, str]:
    """Every way out of every node, keyed like `opening branch 2`, `opening otherwise`, `rule 1`."""
    out: dict[str, str] = {}
    for i, rule in enumerate(sc.rules, 1):
        out[f"rule {i}"] = f"{rule.when.describe()} → {rule.goto or 'stay'}"
    for node in sc.nodes.values():
        for i, br in enumerate(node.branches, 1):
            out[f"{node.id} branch {i}"] = f"{br.when.describe()} → {br.goto or 'stay'}"
        if node.otherwise is not None:
            out[f"{node.id} otherwise"] = f"→ {node.otherwise.goto or 'stay'}"
    return out


def walk(sc: Scenario, runs: int = 100, seed: int = 0) -> WalkReport:
    """`runs` random playthroughs. Each run leans towards a few labels (some runs mostly listen,
    some mostly advise) and now and then aims at a branch of the current node not yet taken."""
    pools = _pools(sc)
    report = WalkReport(sc, [], seed, set(), Counter(), branch_keys(sc))
    for number in range(1, runs + 1):
        rng = random.Random(f"{seed}:{number}")
        weights = {label: rng.random() ** 3 for label in pools}
        if rng.random() < LISTENERS:  # a learner who mostly listens, with the odd slip
            weights = {label: LISTENING.get(label, 0.04) for label in pools}
        session = Session.new(sc, seed=rng.randrange(1 << 30))
        run = Run(number, [sc.start])
        report.nodes_seen.add(sc.start)
        try:
            session.start()
            while not session.finished:
                node = sc.nodes[session.state.node]
                reply = (
                    _aimed(sc, session.state.vars, pools, report, node.id, rng)
                    if rng.random() < AIM
                    else None
                )
                if reply is None:
                    label = rng.choices(list(weights), weights=list(weights.values()))[0]
                    reply = rng.choice(pools[label])
                turn = session.reply(reply)
                run.path.append(turn.to_node)
                report.nodes_seen.add(turn.to_node)
                report.branches_taken.update(turn.taken)
        except Exception as exc:  # report engine bugs with the run that found them
            log.exception("engine error in walk run %d of %s", number, sc.id)
            run.error = f"{type(exc).__name__}: {exc} (path {' → '.join(run.path)})"
        run.ending, run.end_reason = session.state.ending, session.state.end_reason
        report.runs.append(run)
    return report


def _pools(sc: Scenario) -> dict[str, tuple[str, ...]]:
    bank = reply_bank()
    pools = {label: replies for label, replies in bank.items() if label != "mention_templates"}
    for label, phrases in sc.phrases.items():
        pools[label] = (*pools.get(label, ()), *phrases)
    words = sorted({w for b in _all_branches(sc) for c in b.when.flat() for w in c.words})
    if words:
        pools["mentions"] = tuple(t.format(word=w) for w in words for t in bank["mention_templates"])
    return pools


def _aimed(
    sc: Scenario,
    vars_: dict[str, int],
    pools: dict[str, tuple[str, ...]],
    report: WalkReport,
    node: str,
    rng: random.Random,
) -> str | None:
    """A reply meant to take a branch of this node that no run has taken yet: candidates are built
    from the bank (joined when a branch wants two labels, or a label and a word) and checked with
    the detector, so "label empathy and has advice" gets a reply that really is both."""
    branches = sc.nodes[node].branches
    untaken = [b for i, b in enumerate(branches, 1) if not report.branches_taken[f"{node} branch {i}"]]
    if not untaken:
        return None
    when = rng.choice(untaken).when
    for _ in range(AIM_TRIES):
        reply = _candidate(when, pools, rng)
        if reply and matches(when, detect(reply, sc.phrases or None), reply, vars_):
            return reply
    return None


def _candidate(when: Condition, pools: dict[str, tuple[str, ...]], rng: random.Random) -> str | None:
    """A reply for the condition's own parts and, when it has `any`, for one alternative chosen at
    random (the labels both ask for, if they share some)."""
    alt = rng.choice(when.any) if when.any else Condition()
    wanted = tuple(lab for lab in when.label if lab in alt.label) if alt.label else when.label
    excluded = (*when.not_label, *alt.not_label)
    labels = wanted or alt.label or tuple(lab for lab in pools if lab not in excluded and lab != "mentions")
    labels = tuple(lab for lab in labels if lab in pools)
    parts = [rng.choice(pools[rng.choice(labels)])] if labels else []
    for has in (when.has, alt.has):
        if has:
            parts.append(rng.choice(pools.get(rng.choice(has), ("",))))
    for words in (when.words, alt.words):
        if words:
            template = rng.choice(reply_bank()["mention_templates"])
            parts.append(template.format(word=rng.choice(words)))
    rng.shuffle(parts)
    return " ".join(p for p in parts if p) or None


def _all_branches(sc: Scenario) -> list[Branch]:
    out = list(sc.rules)
    for node in sc.nodes.values():
        out.extend(node.branches)
    return out
