"""The detector's rules, as examples a facilitator would recognise."""

from __future__ import annotations

import pytest

from bot.detect import LABELS, Detection, detect
from bot.detect.lexicon import compile_lexicon
from bot.detect.matcher import analyse


def test_plain_replies_get_the_label_a_facilitator_would_give():
    assert detect("That sounds really hard").label == "empathy"
    assert detect("You should update your resume").label == "advice"
    assert detect("What happened next?").label == "open_question"
    assert detect("Did you talk to your manager?").label == "closed_question"
    assert detect("Same thing happened to me last year").label == "self_focus"
    assert detect("At least you got a severance package").label == "judgment"
    assert detect("That's outrageous!").label == "reactivity"
    assert detect("Okay.").label == "neutral"


def test_a_detection_always_has_a_score_for_every_label_and_cites_its_evidence():
    detection = detect("It sounds like you feel thrown away.")
    assert set(detection.scores) == set(LABELS)
    [cue] = detection.cues("empathy")
    assert cue.text == "It sounds like"
    assert "It sounds like you feel thrown away."[cue.start : cue.end] == cue.text
    assert cue.rule.startswith("empathy/")


@pytest.mark.parametrize("text", ["dont worry", "don't worry", "don’t worry", "DON'T WORRY!"])
def test_case_and_apostrophes_do_not_matter(text):
    assert detect(text).label == "judgment"


def test_phrases_match_whole_words_only():
    assert detect("The tryout went well.").label == "neutral"  # "try" inside "tryout" is not advice
    assert detect("Thanksgiving was fine.").label == "neutral"


class TestNegation:
    def test_refusing_to_advise_is_not_advice(self):
        assert detect("I'm not going to tell you what you should do.").label != "advice"

    def test_a_negated_positive_is_empathy(self):
        detection = detect("That doesn't sound easy.")
        assert detection.label == "empathy"
        assert "negated by" in detection.evidence[0].rule

    def test_a_nearby_not_cancels_a_cue_and_the_evidence_says_so(self):
        detection = detect("I never said you should quit.")
        assert detection.label != "advice"
        cancelled = [e for e in detection.evidence if e.cancelled]
        assert cancelled and cancelled[0].label == "advice"

    def test_a_not_in_another_clause_does_not_reach(self):
        assert detect("It's not easy, but you should apply anyway.").label == "advice"

    def test_a_not_that_belongs_to_an_ing_word_does_not_cancel(self):
        assert detect("Not knowing can be scary.").label == "empathy"


class TestQuestions:
    def test_open_and_closed(self):
        assert detect("How did that feel?").label == "open_question"
        assert detect("Tell me more about that.").label == "open_question"
        assert detect("Is it the money that worries you?").label == "closed_question"

    def test_lower_case_without_a_question_mark_is_still_a_question(self):
        assert detect("what happened next").label == "open_question"
        assert detect("did they warn you").label == "closed_question"

    def test_a_wh_word_in_an_exclamation_is_not_a_question(self):
        assert detect("What a shock!").label == "empathy"
        assert detect("How awful.").label == "empathy"

    @pytest.mark.parametrize(
        "text",
        [
            "Have you tried networking?",
            "Why don't you apply to Amazon?",
            "What if you tried freelancing?",
            "Would you consider a course?",
            "How about asking for a raise?",
        ],
    )
    def test_advice_dressed_as_a_question_is_advice(self, text):
        assert detect(text).label == "advice"

    def test_an_empathy_phrase_inside_a_question_is_part_of_the_question(self):
        assert detect("How are you feeling about it?").label == "open_question"

    def test_advice_words_after_an_open_question_word_are_part_of_the_question(self):
        assert detect("What have you tried so far?").label == "open_question"
        assert detect("Have you tried so far?").label == "advice"  # the advice starts the question

    def test_a_reflection_ending_in_a_question_mark_stays_a_reflection(self):
        assert detect("So you're feeling stuck?").label == "empathy"


class TestBut:
    def test_what_comes_after_but_outweighs_what_comes_before(self):
        detection = detect("I hear you, but you should update your resume.")
        assert detection.label == "advice"
        assert "empathy" in detection.labels  # multi-label underneath
        assert "after 'but'" in detection.reason

    def test_and_the_other_way_round(self):
        assert detect("You could retrain, but it sounds like you're exhausted.").label == "empathy"


def test_affirmation_is_not_advice_and_minimising_is_judgment():
    assert detect("You should be proud of how you handled that.").label == "empathy"
    assert detect("You shouldn't feel bad about it.").label == "judgment"
    assert detect("It's not that bad.").label == "judgment"
    assert detect("Everything happens for a reason.").label == "judgment"


def test_sorry_for_the_learner_now_is_empathy_but_a_story_from_the_past_is_self_focus():
    assert detect("I'm sorry you're going through this.").label == "empathy"
    assert detect("When I was laid off I felt the same.").label == "self_focus"


class TestOwnStory:
    def test_feelings_after_a_self_disclosure_in_its_sentence_are_the_learners_own(self):
        detection = detect("I'm so sorry. I lost my job last year and it was so hard, it felt awful.")
        assert detection.label == "self_focus"
        story = [e for e in detection.evidence if "own story" in e.rule]
        assert [e.text for e in story] == ["it was so hard", "it felt awful"]
        assert all(e.cancelled for e in story)

    def test_a_reflection_in_another_sentence_still_counts(self):
        detection = detect("I lost my job last year. That sounds really hard, and it must hurt.")
        assert detection.label == "empathy"

    def test_a_reflection_that_names_the_client_is_about_the_client(self):
        detection = detect("I went through a divorce, so you must be feeling exhausted.")
        assert not any("own story" in e.rule for e in detection.evidence)

    def test_a_sentence_opening_on_my_is_not_yet_a_story(self):
        assert detect("My gosh, that must hurt.").label == "empathy"
        assert detect("My week was quiet.").label == "self_focus"

    def test_talking_about_the_conversation_is_not_a_story(self):
        detection = detect("From the few messages we have exchanged, it sounds like it hurts a lot.")
        assert detection.label == "empathy"


def test_typos_and_shorthand():
    assert detect("u shoud try a recruiter").label == "advice"
    assert detect("that sonds so frustrating").label == "empathy"


class TestScenarioPhrases:
    def test_a_scenario_can_add_its_own_phrases_per_label(self):
        assert detect("Apply to Amazon.").label == "advice"  # already advice: an imperative
        assert detect("amazon is hiring").label == "neutral"
        detection = detect("amazon is hiring", {"advice": ["amazon is hiring"]})
        assert detection.label == "advice"
        assert detection.evidence[0].rule == "advice/scenario"

    def test_scenario_phrases_are_whole_words_and_any_case(self):
        extra = {"self_focus": ["my severance"]}
        assert detect("My Severance was tiny.", extra).label == "self_focus"
        assert not any(e.rule == "self_focus/scenario" for e in detect("my severances", extra).evidence)

    def test_unknown_labels_in_scenario_phrases_are_ignored(self):
        assert detect("hello", {"nonsense": ["hello"]}).label == "neutral"


def test_round_trip_through_json_keeps_everything():
    detection = detect("I hear you, but you should update your resume.")
    again = Detection.from_dict(detection.to_dict())
    assert again.label == detection.label
    assert again.scores == detection.scores
    assert again.evidence == detection.evidence


def test_the_same_reply_always_gets_the_same_detection():
    text = "It sounds hard, but have you tried a recruiter? When I was laid off I did."
    assert detect(text).to_dict() == detect(text).to_dict()


class TestIntensifiedForms:
    """A phrase written out in full must not hide an intensified (`~`) phrase that starts the same way."""

    @staticmethod
    def _lexicon(*groups):
        return compile_lexicon(
            {
                "words": {"intens": ["really", "so", "completely"]},
                "labels": {"empathy": [{"name": f"g{i}", **g} for i, g in enumerate(groups)]},
            }
        )

    @pytest.mark.parametrize(
        "reply",
        [
            "Your feelings are completely understandable.",
            "Your feelings are really understandable.",
            "Your feelings are understandable.",
            "Your feelings are completely valid.",
        ],
    )
    def test_a_written_out_phrase_does_not_shadow_an_intensified_one(self, reply):
        lex = self._lexicon(
            {"phrases": ["your feelings are (understandable|completely valid)"]},
            {"phrases": ["your feelings are ~ understandable"]},
        )
        assert [c.label for c in analyse(reply, lexicon=lex).cues] == ["empathy"]

    def test_a_longer_phrase_that_does_not_pan_out_falls_back_to_the_intensified_one(self):
        # "your feelings are completely" only counts at a clause start; mid-sentence the intensified
        # phrase it shadows in the regex is tried before any shorter one.
        lex = self._lexicon(
            {"phrases": ["your feelings are completely"], "at_start": True},
            {"phrases": ["your feelings are ~ understandable"]},
        )
        cues = analyse("I think your feelings are completely understandable.", lexicon=lex).cues
        assert [c.rule.name for c in cues] == ["empathy/g1"]

    def test_an_intensifier_just_after_a_phrase_that_does_not_count_starts_an_intensified_one(self):
        # "you worked" only counts at a sentence start; mid-sentence the pattern stops there, and the
        # "really" after it is what leads the reader to "you worked ~ hard".
        evidence = detect("It sounds like you worked really hard today.").evidence
        assert ("you worked really hard", "empathy") in [(e.text, e.label) for e in evidence]

    def test_a_phrase_whose_own_word_is_an_intensifier_still_takes_one(self):
        # "would" is on the intensifier list, and is also the first word of "would ~ help".
        [cue] = detect("That would really help.").evidence
        assert (cue.label, cue.text) == ("advice", "would really help")

    def test_the_packaged_lexicon_reads_an_intensified_validation(self):
        assert detect("Your feelings are completely understandable.").label == "empathy"
        assert detect("Honestly, your feelings are so understandable.").label == "empathy"


class TestImperativeAtASentenceStart:
    """An imperative keeps its weight when a longer advice phrase starts with it ("Talk to your boss")."""

    def test_an_imperative_that_names_an_action_weighs_as_an_imperative(self):
        detection = detect("Talk to your boss.")
        assert detection.label == "advice"
        assert detection.scores["advice"] == pytest.approx(1.1)
        [cue] = detection.cues("advice")
        assert cue.text == "Talk to your boss"

    @pytest.mark.parametrize(
        "reply",
        ["Talk to your boss. You can do this.", "So talk to your manager, I'm sure you can handle it."],
    )
    def test_so_it_outweighs_an_affirmation(self, reply):
        assert detect(reply).label == "advice"

    def test_a_reflection_still_outweighs_it(self):
        # As "That sounds really hard. Take some time off." does: reflection 1.3 > imperative 1.1.
        detection = detect("Talk to your boss. That sounds hard.")
        assert detection.label == "empathy"
        assert detection.scores["advice"] == pytest.approx(1.1)

    def test_in_mid_sentence_naming_an_action_stays_weak(self):
        assert detect("Did you talk to your boss?").label == "closed_question"
        assert detect("I heard you talk to your boss every week.").scores["advice"] < 1.1

    def test_it_helps_to_is_a_suggestion(self):
        assert detect("I think it helps to talk to your boss.").label == "advice"
