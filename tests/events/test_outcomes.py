from techbridge.events.outcomes import PROPOSING, summarise


def test_no_report_means_unknown():
    assert summarise([]) == (None, "")


def test_held_when_one_side_says_so_with_the_most_promising_outcome():
    assert summarise([(True, "no_interest"), (True, "interest")]) == (True, "interest")
    assert summarise([(False, ""), (True, "follow_up")]) == (True, "follow_up")
    assert summarise([(True, "agreement"), (True, "follow_up")]) == (True, "agreement")


def test_not_held_when_every_report_says_so():
    assert summarise([(False, ""), (False, "")]) == (False, "")


def test_only_follow_up_or_better_proposes():
    assert {"follow_up", "interest", "agreement"} == PROPOSING
