"""Build a Scenario from a composed YAML node tree, reporting every problem with its line and column.

This module checks what can be checked where a value is written (keys, types, labels, outcomes,
`if` expressions). Names that point elsewhere (goto targets, variables, test nodes) are collected as
references and resolved afterwards by bot/scenario/checks.py, together with the graph checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node

from bot.scenario.conditions import ConditionReader
from bot.scenario.model import (
    DIFFICULTIES,
    OUTCOMES,
    Branch,
    Condition,
    Ending,
    Persona,
    Scenario,
    ScenarioTest,
)
from bot.scenario.model import Node as ScriptNode
from bot.scenario.problems import did_you_mean, one_of
from bot.scenario.schema import (
    BRANCH_KEYS,
    ENDING_KEYS,
    EXPECT_KEYS,
    LANGUAGE,
    MAX_AGE,
    MIN_AGE,
    NAME,
    NODE_KEYS,
    OTHERWISE_KEYS,
    PERSONA_KEYS,
    RULE_KEYS,
    SCENARIO_ID,
    TEST_KEYS,
    TOP_KEYS,
    VARIABLE,
)
from bot.scenario.yamlread import Reader, position


@dataclass(frozen=True, slots=True)
class Ref:
    """A name used somewhere that must be declared elsewhere: kind is target|node|ending|var."""

    kind: str
    name: str
    node: Node
    what: str


@dataclass
class Parsed:
    """The scenario as far as it could be built, plus what checks.py needs to finish the job."""

    scenario: Scenario
    refs: list[Ref] = field(default_factory=list)
    # Where things are written, for messages: "id", "start", "node:<id>", "ending:<id>", ...
    marks: dict[str, Node] = field(default_factory=dict)


class Parser:
    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.refs: list[Ref] = []
        self.marks: dict[str, Node] = {}
        self.conditions = ConditionReader(reader, self.var_ref)

    def var_ref(self, name: str, node: Node, what: str) -> None:
        self.refs.append(Ref("var", name, node, what))

    def ref(self, kind: str, node: Node, what: str) -> str | None:
        name = self.r.text(node, what)
        if name is not None:
            self.refs.append(Ref(kind, name, node, what))
        return name

    # --- the whole file --------------------------------------------------------------------------
    def scenario(self, root: Node) -> Scenario | None:
        top = self.r.mapping(root, "the scenario", TOP_KEYS)
        if top is None:
            return None
        r = self.r
        text = {
            k: r.text(top[k], k)
            for k in ("id", "title", "summary", "language", "facilitator_notes")
            if k in top
        }
        if text.get("language") and not LANGUAGE.fullmatch(text["language"] or ""):
            r.report(
                top["language"],
                f'language "{text["language"]}" should be a language code such as en or fr-CA',
            )
        for key in ("id", "title", "summary"):
            if text.get(key) == "":
                r.report(top[key], f"{key} is empty")
        if "id" in top:
            self.marks["id"] = top["id"]
            if text.get("id") and not SCENARIO_ID.fullmatch(text["id"] or ""):
                r.report(
                    top["id"], f'id "{text["id"]}" should use only lowercase letters, digits and hyphens'
                )
        difficulty = "intermediate"
        if "difficulty" in top:
            difficulty = self.choice(top["difficulty"], "difficulty", DIFFICULTIES) or difficulty
        max_turns = r.integer(top["max_turns"], "max_turns") if "max_turns" in top else None
        if max_turns is not None and max_turns < 1:
            r.report(top["max_turns"], "max_turns should be at least 1")
        variables = self.variables(top["variables"]) if "variables" in top else {}
        # Before any condition: `mentions: [$money]` is resolved where it is written.
        words = self.conditions.word_lists(top["words"]) if "words" in top else {}
        nodes = self.nodes(top["nodes"]) if "nodes" in top else {}
        endings = self.endings(top["endings"], nodes) if "endings" in top else {}
        for key in ("start", "time_up", "meter"):
            if key in top:
                self.marks[key] = top[key]
        return Scenario(
            id=text.get("id") or "",
            title=text.get("title") or "",
            summary=text.get("summary") or "",
            persona=self.persona(top["persona"]) if "persona" in top else Persona(name=""),
            start=(self.ref("node", top["start"], "start") if "start" in top else None) or "",
            nodes=nodes,
            endings=endings,
            max_turns=max_turns or 1,
            time_up=(self.ref("ending", top["time_up"], "time_up") if "time_up" in top else None) or "",
            language=text.get("language") or "en",
            difficulty=difficulty,
            objectives=self.texts(top, "objectives"),
            facilitator_notes=text.get("facilitator_notes") or "",
            content_notes=self.texts(top, "content_notes"),
            variables=variables,
            meter=self.ref("var", top["meter"], "meter") if "meter" in top else None,
            phrases=self.phrases(top["phrases"]) if "phrases" in top else {},
            words=words,
            rules=self.rules(top["rules"]) if "rules" in top else (),
            tests=self.tests(top["tests"]) if "tests" in top else (),
        )

    def texts(self, fields: dict[str, Node], key: str) -> tuple[str, ...]:
        if key not in fields:
            return ()
        return self.r.texts(fields[key], key, allow_empty=True) or ()

    def choice(self, node: Node, what: str, choices: tuple[str, ...]) -> str | None:
        value = self.r.text(node, what)
        if value is None:
            return None
        if value not in choices:
            hint = did_you_mean(value, choices)
            self.r.report(node, f'{what} "{value}" is not one of: {one_of(choices)}{hint}')
            return None
        return value

    def persona(self, node: Node) -> Persona:
        f = self.r.mapping(node, "persona", PERSONA_KEYS) or {}
        get = {
            k: self.r.text(f[k], f"persona {k}", words_only=True)
            for k in ("name", "pronouns", "background", "concern")
            if k in f
        }
        age = self.r.integer(f["age"], "persona age") if "age" in f else None
        if age is not None and not MIN_AGE <= age <= MAX_AGE:
            self.r.report(f["age"], f"persona age {age} should be between {MIN_AGE} and {MAX_AGE}")
            age = None
        return Persona(
            name=get.get("name") or "",
            pronouns=get.get("pronouns") or "",
            age=age,
            background=get.get("background") or "",
            concern=get.get("concern") or "",
        )

    def variables(self, node: Node) -> dict[str, int]:
        out: dict[str, int] = {}
        for name, key_node, value_node in self.r.named_mapping(node, "variables"):
            if not VARIABLE.fullmatch(name):
                self.r.report(key_node, f'variable "{name}" should use only letters, digits and _')
            self.marks[f"var:{name}"] = key_node
            # A bad start value is one error; the name still counts as declared for every `if`/`add`.
            out[name] = self.r.integer(value_node, f'variables "{name}"') or 0
        return out

    def phrases(self, node: Node) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for label, key_node, value in self.r.named_mapping(node, "phrases"):
            if self.conditions.label_ok(key_node, label):
                out[label] = self.r.texts(value, f"phrases for {label}") or ()
        return out

    # --- nodes and endings -------------------------------------------------------------------------
    def nodes(self, node: Node) -> dict[str, ScriptNode]:
        out: dict[str, ScriptNode] = {}
        entries = self.r.named_mapping(node, "nodes")
        if isinstance(node, MappingNode) and not node.value:
            self.r.report(node, "nodes is empty; a scenario needs at least one node")
        for ident, key_node, value in entries:
            self.name_ok(key_node, ident, "node")
            self.marks[f"node:{ident}"] = key_node
            what = f'node "{ident}"'
            f = self.r.mapping(value, what, NODE_KEYS) or {}
            says = self.r.texts(f["says"], f"{what} says") if "says" in f else None
            line_of = {k: self.r.text(f[k], f"{what} {k}") for k in ("model_reply", "why") if k in f}
            branches: list[Branch] = []
            if "branches" in f:
                for i, item in enumerate(self.r.sequence(f["branches"], f"{what} branches") or [], 1):
                    path = f"nodes.{ident}.branches[{i}]"
                    branch = self.branch(item, f"a branch of {what}", BRANCH_KEYS, path)
                    if branch is not None:
                        branches.append(branch)
            otherwise = None
            if "otherwise" in f:
                otherwise = self.branch(f["otherwise"], f"the otherwise of {what}", OTHERWISE_KEYS)
            out[ident] = ScriptNode(
                id=ident,
                says=says or (),
                feels=self.r.texts(f["feels"], f"{what} feels", allow_empty=True) or ()
                if "feels" in f
                else (),
                model_reply=line_of.get("model_reply"),
                why=line_of.get("why"),
                branches=tuple(branches),
                otherwise=otherwise,
                line=position(key_node)[0],
            )
        return out

    def endings(self, node: Node, nodes: dict[str, ScriptNode]) -> dict[str, Ending]:
        out: dict[str, Ending] = {}
        entries = self.r.named_mapping(node, "endings")
        if isinstance(node, MappingNode) and not node.value:
            self.r.report(node, "endings is empty; a scenario needs at least one ending")
        for ident, key_node, value in entries:
            self.name_ok(key_node, ident, "ending")
            if ident in nodes:
                self.r.report(
                    key_node,
                    f'ending "{ident}" has the same id as a node; node and ending ids share one namespace',
                )
            self.marks[f"ending:{ident}"] = key_node
            what = f'ending "{ident}"'
            f = self.r.mapping(value, what, ENDING_KEYS) or {}
            outcome = self.choice(f["outcome"], f"{what} outcome", OUTCOMES) if "outcome" in f else None
            out[ident] = Ending(
                id=ident,
                outcome=outcome or "neutral",
                says=self.r.texts(f["says"], f"{what} says") or () if "says" in f else (),
                summary=(self.r.text(f["summary"], f"{what} summary") or "") if "summary" in f else "",
                line=position(key_node)[0],
            )
        return out

    def name_ok(self, node: Node, ident: str, kind: str) -> None:
        if not NAME.fullmatch(ident):
            self.r.report(node, f'{kind} id "{ident}" should use only letters, digits, _ and -')

    # --- branches, rules and conditions ------------------------------------------------------------
    def rules(self, node: Node) -> tuple[Branch, ...]:
        out: list[Branch] = []
        for i, item in enumerate(self.r.sequence(node, "rules") or [], 1):
            rule = self.branch(item, "a rule", RULE_KEYS, f"rules[{i}]")
            if rule is not None:
                out.append(rule)
        return tuple(out)

    def branch(self, node: Node, what: str, keys: dict[str, bool], path: str = "") -> Branch | None:
        """A branch, rule or otherwise; `path` (`nodes.intro.branches[2]`) names it in `any` messages."""
        f = self.r.mapping(node, what, keys)
        if f is None:
            return None
        when = self.conditions.condition(f["when"], path) if "when" in f else Condition()
        if keys is RULE_KEYS and isinstance(f.get("when"), MappingNode) and not f["when"].value:
            self.r.report(f["when"], "a rule needs a condition in `when` (otherwise it would always apply)")
        goto = self.ref("target", f["goto"], "goto") if "goto" in f else None
        says = (self.r.texts(f["says"], f"{what} says") or ()) if "says" in f else ()
        changes = {}
        for key in ("set", "add"):
            changes[key] = {}
            if key in f:
                for name, key_node, value in self.r.int_map(f[key], key):
                    self.refs.append(Ref("var", name, key_node, key))
                    changes[key][name] = value
        note = (self.r.text(f["note"], "note") or "") if "note" in f else ""
        return Branch(
            when=when,
            goto=goto,
            says=says,
            set=changes["set"],
            add=changes["add"],
            note=note,
            line=position(node)[0],
        )

    # --- tests -------------------------------------------------------------------------------------
    def tests(self, node: Node) -> tuple[ScenarioTest, ...]:
        out = []
        for item in self.r.sequence(node, "tests") or []:
            f = self.r.mapping(item, "a test", TEST_KEYS)
            if f is None:
                continue
            name = (self.r.text(f["name"], "test name") or "") if "name" in f else ""
            replies = (self.r.texts(f["replies"], "replies") or ()) if "replies" in f else ()
            start = self.ref("node", f["start"], "test start") if "start" in f else None
            variables = self.test_vars(f["vars"], "vars") if "vars" in f else {}
            expect = self.r.mapping(f["expect"], "expect", EXPECT_KEYS) if "expect" in f else None
            expect = expect or {}
            if isinstance(f.get("expect"), MappingNode) and not f["expect"].value:
                self.r.report(f["expect"], "expect is empty; give at least one of: path, ending, vars")
            path: list[str] = []
            if "path" in expect:
                steps = self.r.sequence(expect["path"], "expect path") or []
                path = [s for s in (self.ref("target", step, "expect path") for step in steps) if s]
                if len(steps) > len(replies) and replies:
                    self.r.report(
                        expect["path"],
                        f"expect path has {len(steps)} steps but the test has only {len(replies)} replies",
                    )
            out.append(
                ScenarioTest(
                    name=name,
                    replies=replies,
                    start=start,
                    vars=variables,
                    expect_nodes=tuple(path),
                    expect_ending=self.ref("ending", expect["ending"], "expect ending")
                    if "ending" in expect
                    else None,
                    expect_vars=self.test_vars(expect["vars"], "expect vars") if "vars" in expect else {},
                    line=position(item)[0],
                )
            )
        return tuple(out)

    def test_vars(self, node: Node, what: str) -> dict[str, int]:
        out = {}
        for name, key_node, value in self.r.int_map(node, what):
            self.refs.append(Ref("var", name, key_node, what))
            out[name] = value
        return out


def parse_tree(root: Node, reader: Reader) -> Parsed | None:
    parser = Parser(reader)
    scenario = parser.scenario(root)
    if scenario is None:
        return None
    return Parsed(scenario, parser.refs, parser.marks)
