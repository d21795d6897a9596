"""Replies scenario authors found mislabelled, and the rules added for them: these must stay right."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.detect import detect

GOLDEN = Path(__file__).parent / "data" / "golden_replies.yaml"
REPORTED = [
    (reply["say"], reply["label"])
    for client in yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))["clients"]
    for reply in client["replies"]
    if "reported" in reply.get("tags", [])
]


def test_every_reported_reply_is_in_the_golden_set():
    assert len(REPORTED) >= 20


@pytest.mark.parametrize(("text", "label"), REPORTED)
def test_a_reported_reply_gets_its_right_label(text, label):
    assert detect(text).label == label


def test_a_reflection_with_a_tip_on_the_end_still_carries_the_advice():
    detection = detect("That sounds like a real shock, and you should probably call a recruiter.")
    assert detection.label == "empathy"
    assert "advice" in detection.labels


def test_separate_sentences_without_but_go_to_the_stronger_cue():
    # A reflection (1.3) outweighs a plain suggestion (1.2); advice dressed as a question (1.6) wins.
    assert detect("That sounds really hard. You should take some time off.").label == "empathy"
    assert "advice" in detect("That sounds really hard. You should take some time off.").labels
    assert detect("That sounds really hard. Have you tried taking some time off?").label == "advice"


def test_an_exclamation_mark_makes_an_outburst_the_learners_own_reaction():
    assert detect("Oh no, that's terrible!").label == "reactivity"
    assert detect("Oh no, that's terrible.").label == "empathy"
    assert detect("Oh no, that sounds really hard!").label == "empathy"
    assert detect("Wow, congratulations!").label == "empathy"


def test_a_yes_no_question_that_carries_advice_is_advice():
    assert detect("Is there someone you could talk to?").label == "advice"
    assert detect("Did you talk to your boss?").label == "closed_question"
    assert detect("Are you still at the same company?").label == "closed_question"


def test_minimising_after_the_fact_is_judgment_but_validation_is_not():
    assert detect("So it's fine, right?").label != "empathy"
    assert detect("It's okay to feel angry about it.").label == "empathy"
    assert detect("That isn't fair to you.").label == "empathy"


SCENARIOS = Path(__file__).parents[1] / "scenarios"


def _model_replies() -> list[tuple[str, str, str, dict]]:
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, node in (data.get("nodes") or {}).items():
            if isinstance(node, dict) and node.get("model_reply"):
                out.append((path.name, name, node["model_reply"], data.get("phrases") or {}))
    return out


@pytest.mark.parametrize(("scenario", "node", "reply", "phrases"), _model_replies())
def test_a_learner_typing_a_scenarios_model_reply_moves_forward(scenario, node, reply, phrases):
    assert detect(reply, phrases).label in ("empathy", "open_question"), f"{scenario}:{node}"


def test_please_and_research_are_advice_only_with_an_action():
    assert detect("Please update your CV.").label == "advice"
    assert detect("Research local programs.").label == "advice"
    assert detect("Research shows many people feel this way.").label != "advice"


@pytest.mark.parametrize(
    ("reply", "label"),
    [
        # An intensifier inside the phrase: "fully", "certainly", "entirely" are read like "really".
        ("I can fully understand how you feel about that.", "empathy"),
        # "I can't imagine how…" is a reflection with its own "not"; "I can't imagine quitting" is not.
        ("i can't imagine how weird it is for you", "empathy"),
        ("I can't imagine quitting my job.", "neutral"),
        ("Your son must be taking it hard too.", "empathy"),
        # "I get it" validates; it is not a story about the helper.
        ("It can be frustrating, I get it.", "empathy"),
        ("You really need to update your CV.", "advice"),
        ("It helps to write the worries down.", "advice"),
        # "or", "definitely", "simply" may open an imperative like "so" and "maybe" do.
        ("Or try a recruiter.", "advice"),
        ("Yes, definitely allow yourself some rest.", "advice"),
        # Asking to hear more is an invitation, even with a feeling word in it; asking for an action is not.
        ("Can you explain to me what happened at the review?", "open_question"),
        ("Tell me more about how you're feeling.", "open_question"),
        ("Can you explain it to your manager?", "advice"),
        ("May I ask what happened next?", "open_question"),
        ("How about a career coach?", "advice"),
        ("It seems to be a big problem for you.", "empathy"),
        ("It seems to be working now.", "neutral"),
        ("That doesn't sound helpful at all.", "empathy"),
        ("Hello there, how are you feeling today?", "open_question"),
        ("That's a tough spot. Ive actually been on both sides of it.", "self_focus"),
        ("Music helps me a lot.", "self_focus"),
        ("Maybe you could explain to your manager that it leaves you out.", "advice"),
        ("Anything else you need to talk about?", "open_question"),
        ("That has happened to me more than once.", "self_focus"),
        # A wish and an offer are social talk, not a reflection or a story about the helper.
        ("I hope you feel better soon.", "neutral"),
        ("I would love to listen.", "neutral"),
        ("I hope you are feeling a bit better.", "neutral"),
        ("I'm glad you're feeling better.", "neutral"),
        # Telling someone their feeling has no reason is judgment (it dismisses the feeling).
        ("There's no reason for you to be upset about it.", "judgment"),
        ("You seem to be carrying most of it yourself.", "empathy"),
        ("Wow, you mean they never gave you credit.", "empathy"),
        ("Do you mean your manager?", "closed_question"),
        # Pointing to help and hedged tips are advice.
        ("There are support groups online for people out of work.", "advice"),
        ("Maybe there is a way to use your teaching experience.", "advice"),
        ("That is what I would do.", "advice"),
        ("I can also suggest a recruiter.", "advice"),
        ("You'll have to ask them for a reference.", "advice"),
        ("Just remain calm with him.", "advice"),
        ("I think it might be a good starting point for you.", "advice"),
        ("I'm in the same situation, honestly.", "self_focus"),
        ("I've made that mistake too.", "self_focus"),
        ("It genuinely did help me.", "self_focus"),
        ("I stopped checking the job boards at night.", "self_focus"),
        ("So to clarify, you ended things and now you regret it.", "empathy"),
        ("Like you said, you don't live with him any more.", "empathy"),
        ("Your worry seems completely understandable.", "empathy"),
        ("That's the right attitude.", "empathy"),
        # Closing the conversation is social talk, not self-disclosure.
        ("I hope I have been able to help.", "neutral"),
        # A question for one number or date is closed; "how are you feeling?" stays open.
        ("How long did you work there?", "closed_question"),
        ("How many interviews have you had?", "closed_question"),
        ("How are you feeling about it?", "open_question"),
        # A tentative reflection.
        ("I wonder if part of you feels relieved.", "empathy"),
        ("I wonder if you could ask your manager.", "advice"),
        ("Let me ask if you have talked to anyone at church.", "open_question"),
        # Proposing an action as a question is advice; asking to hear more is an invitation.
        ("Might I suggest taking up a new hobby?", "advice"),
        ("What about meeting the counsellor together?", "advice"),
        ("Would you feel comfortable talking to them about it?", "advice"),
        ("Would you be willing to tell me more?", "open_question"),
        ("Is there anything you can do to take your mind off things?", "advice"),
    ],
)
def test_reported_after_round_four(reply, label):
    assert detect(reply).label == label
