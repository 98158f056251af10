"""The mix as the lecturer writes it: ranges, NAME=VALUE flags, topic names, counts.

Expected values come from docs/blueprint.md, not from the code."""

from __future__ import annotations

import math

import pytest

from examgen.core.errors import MixError
from examgen.core.yamlio import Scalar
from examgen.select.mix import Mix, match_topic, merge, parse_assignment, parse_range, resolve

TOPICS = ["Generative Adversarial Networks (GAN)", "Transfer Learning", "YOLO",
          "Reinforcement Learning", "Autoencoders", "Yolo extras"]


@pytest.mark.parametrize("text, whole, exact, expected", [
    ("3", True, False, (3, None)),        # a topic's MIN: at least 3
    ("3", False, True, (3, 3)),           # points P: exactly P
    ("2:5", True, False, (2, 5)),
    (":5", True, False, (0, 5)),
    ("2:", True, False, (2, None)),
    ("20:", False, True, (20, None)),     # at least 20 points, no upper bound
    ("18.5:20", False, True, (18.5, 20)),
    (" 2 : 4 ", True, False, (2, 4)),
])
def test_ranges(text, whole, exact, expected):
    low, high = parse_range(text, "--x", whole=whole, exact=exact)
    assert (low, high) == expected
    assert all(type(v) is int for v in (low, high) if v is not None and whole)


@pytest.mark.parametrize("text, whole, message", [
    ("2.5", True, "expected N or MIN:MAX, got '2.5' (expected a whole number"),
    ("1:2.5", True, "expected a whole number"),
    ("nan", False, "expected N or MIN:MAX, got 'nan'"),
    ("1:inf", False, "got '1:inf'"),
    ("1_000", False, "without '_'"),
    ("0x10", False, "in decimal"),
    ("5:3", False, "the range '5:3' is empty or negative"),
    ("-1", False, "empty or negative"),
    ("a:b", True, "got 'a:b'"),
])
def test_bad_ranges_name_the_flag_and_the_fix(text, whole, message):
    with pytest.raises(MixError) as err:
        parse_range(text, "--topic \"GAN\"", whole=whole)
    assert str(err.value).startswith("--topic \"GAN\": ")
    assert message in str(err.value)


def test_assignment_splits_at_the_last_equals_sign():
    assert parse_assignment("GAN=2", "--topic") == ("GAN", "2")
    assert parse_assignment(" a=b = 2:3 ", "--topic") == ("a=b", "2:3")
    for bad in ("GAN", "=2", "GAN=", " = "):
        with pytest.raises(MixError) as err:
            parse_assignment(bad, "--topic")
        assert str(err.value) == (f"--topic expects NAME=VALUE, e.g. --topic \"GAN=2\", "
                                  f"got '{bad}'")


@pytest.mark.parametrize("name, topic", [
    ("Transfer Learning", "Transfer Learning"),
    ("transfer learning", "Transfer Learning"),
    ("transfer", "Transfer Learning"),       # unique prefix
    ("GAN", "Generative Adversarial Networks (GAN)"),  # unique word
    ("auto", "Autoencoders"),
    ("yolo", "YOLO"),                          # exact beats the prefix of "Yolo extras"
])
def test_topics_by_name_prefix_or_word(name, topic):
    assert match_topic(name, TOPICS) == topic


def test_ambiguous_and_unknown_topics_say_which():
    with pytest.raises(MixError) as err:
        match_topic("learning", TOPICS)
    assert str(err.value) == ("topic 'learning' is ambiguous: it matches Transfer Learning, "
                              "Reinforcement Learning")
    with pytest.raises(MixError) as err:
        match_topic("yo", TOPICS)
    assert str(err.value) == "topic 'yo' is ambiguous: it matches YOLO, Yolo extras"
    with pytest.raises(MixError) as err:
        match_topic("Autoencoder", ["Autoencoders x", "Autoencoders y"])
    assert "ambiguous: it matches Autoencoders x, Autoencoders y" in str(err.value)
    with pytest.raises(MixError) as err:
        match_topic("Autoencodrs", TOPICS)
    assert str(err.value) == ("no topic 'Autoencodrs' in the bank (did you mean "
                              "'Autoencoders'?); topics: " + ", ".join(TOPICS))


def _plain(text: str) -> Scalar:
    scalar = Scalar(text)
    scalar.plain, scalar.line = True, 1
    return scalar


def test_blueprint_values_are_read_strictly():
    where = {"difficulty": "bp.yaml:3", "points": "bp.yaml:4", "total": "bp.yaml:2"}.get
    mix = Mix.from_mapping({"total": _plain("7"), "difficulty": {"easy": _plain("5")},
                            "points": _plain("20:24")}, lambda k: where(k) or k)
    assert (mix.total, mix.counts, mix.points) == (7, {"difficulty": {"easy": 5}}, (20, 24))
    quoted = Scalar("5")
    quoted.plain, quoted.line = False, 3
    with pytest.raises(MixError) as err:
        Mix.from_mapping({"difficulty": {"easy": quoted}}, lambda k: where(k) or k)
    assert str(err.value).startswith("bp.yaml:3: difficulty 'easy': '5' is quoted")
    with pytest.raises(MixError) as err:
        Mix.from_mapping({"total": -1}, lambda k: where(k) or k)
    assert str(err.value) == "bp.yaml:2: expected a whole number >= 0, got -1"


def test_merge_puts_flags_over_the_blueprint_per_count():
    base = {"difficulty": {"easy": 5, "hard": 2}, "total": 10, "tags": ["a"]}
    merged = merge(base, {"difficulty": {"hard": 3}, "tags": ["b"]})
    assert merged == {"difficulty": {"easy": 5, "hard": 3}, "total": 10, "tags": ["b"]}
    assert base["difficulty"] == {"easy": 5, "hard": 2}, "the blueprint is not changed"


def test_counts_not_given_are_zero_without_total_and_free_with_it(sample_bank):
    closed = resolve(Mix(counts={"difficulty": {"easy": 5, "hard": 2}}), sample_bank)
    assert closed.total == 7 and not closed.total_given
    assert closed.counts["difficulty"] == {"easy": 5, "medium": 0, "hard": 2}
    assert closed.implied_zero == {"difficulty": ("medium",)}
    opened = resolve(Mix(total=10, counts={"difficulty": {"easy": 5}}), sample_bank)
    assert opened.counts["difficulty"] == {"easy": 5} and opened.total_given
    assert opened.implied_zero == {}
    with pytest.raises(MixError) as err:
        resolve(Mix(counts={"difficulty": {"easy": 5}, "knowledge": {"recall": 3}}),
                sample_bank)
    assert str(err.value) == ("the difficulty counts add up to 5, the knowledge counts add "
                              "up to 3; make them agree or give --total N")


def test_resolved_mix_records_what_was_asked(sample_bank, tmp_path):
    mix = resolve(Mix(total=4, topics={"GAN": (1, 2)}, each_topic=1, points=(4, None),
                      require=("gan-deepfakes",), exclude=("yolo-iou",), tags=("seed",)),
                  sample_bank)
    data = mix.to_json()
    assert data["topics"] == {"Generative Adversarial Networks (GAN)": {"min": 1, "max": 2}}
    assert mix.topic_flags == {"Generative Adversarial Networks (GAN)": "GAN"}
    assert (data["each_topic"], data["points"]) == (1, [4, None])
    assert (data["require"], data["exclude"], data["tags"]) == (["gan-deepfakes"],
                                                                ["yolo-iou"], ["seed"])
    assert data["total"] == 4 and data["difficulty"] == {} and data["exclude_used"] == []
    assert not math.isnan(data["points"][0])


def test_a_single_text_is_a_list_of_one_and_counts_reach_the_manifest(sample_bank):
    mix = Mix.from_mapping({"total": 3, "require": _plain("gan-deepfakes"),
                            "difficulty": {"easy": _plain("2")}, "tags": _plain("seed")},
                           str)
    assert (mix.require, mix.tags) == (("gan-deepfakes",), ("seed",))
    data = resolve(mix, sample_bank).to_json()
    assert data["difficulty"] == {"easy": 2} and data["knowledge"] == {}
    with pytest.raises(MixError) as err:
        Mix.from_mapping({"require": {"a": 1}}, lambda key: "bp.yaml:4")
    assert str(err.value) == "bp.yaml:4: expected a list of texts"


def _where(key: str) -> str:
    return f"bp.yaml:{ {'total': 2, 'difficulty': 3, 'topics': 5, 'points': 6}.get(key, 7)}"


@pytest.mark.parametrize("mix, message", [
    ({"totl": 1}, "bp.yaml:7: unknown key 'totl' (did you mean 'total'?)"),
    ({"difficulty": _plain("5")},
     "bp.yaml:3: 'difficulty' maps each of easy, medium, hard to a count"),
    ({"difficulty": {"eazy": 1}},
     "bp.yaml:3: unknown difficulty 'eazy' (did you mean 'easy'?); valid: easy, medium, hard"),
    ({"topics": [_plain("GAN")]},
     "bp.yaml:5: topics map a topic to MIN or MIN:MAX, e.g. topics: {GAN: 2}"),
    ({"topics": {"GAN": _plain("1.5")}},
     "bp.yaml:5: topic 'GAN': expected N or MIN:MAX, got '1.5' (expected a whole number"),
    ({"require": {"a": 1}}, "bp.yaml:7: expected a list of texts"),
    ({"tags": [_plain("ok"), {"a": 1}]}, "bp.yaml:7: expected a list of texts"),
])
def test_blueprint_mix_problems_name_their_line(mix, message):
    with pytest.raises(MixError) as err:
        Mix.from_mapping(mix, _where)
    assert str(err.value).startswith(message)


def test_blueprint_topic_ranges_and_exact_points():
    mix = Mix.from_mapping({"topics": {"GAN": _plain("2:4"), "YOLO": _plain("1")},
                            "points": _plain("20")}, _where)
    assert mix.topics == {"GAN": (2, 4), "YOLO": (1, None)}
    assert all(type(v) is int for v in mix.topics["GAN"])
    assert mix.points == (20, 20)
