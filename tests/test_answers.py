import pytest

from calibmodule.answers import is_correct, normalize


@pytest.mark.parametrize("text,expected", [
    ("The Paris.", "paris"),
    ("  São   Tomé ", "sao tome"),
    ("An apple, a day!", "apple day"),
    ("", ""),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("pred,answers,ok", [
    ("Paris", ["Paris"], True),
    ("paris.", ["Paris"], True),
    ("The capital of France is Paris.", ["Paris"], True),  # containment: 4 extra words allowed
    ("Lyon", ["Paris"], False),
    ("Italian Republic", ["Italy", "Italian Republic"], True),
    ("Kyiv", ["Kiev", "Kyiv"], True),
    ("Paris, Lyon, Nice, Lille, Bordeaux, Toulouse", ["Paris"], False),  # a list is not an answer
    ("", ["Paris"], False),
    (None, ["Paris"], False),
    ("...", ["Paris"], False),
    ("Paris", [""], False),
    ("Parisian", ["Paris"], False),  # word boundary
])
def test_is_correct(pred, answers, ok):
    assert is_correct(pred, answers) is ok
