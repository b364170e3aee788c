"""French number formatting."""
from ess_data import fmt

NB = "\u00a0"


def test_percent_with_comma_and_space():
    assert fmt.value(13.8, "percent", 1) == f"13,8{NB}%"


def test_thousands_separated_by_non_breaking_space():
    assert fmt.number(2600000) == f"2{NB}600{NB}000"


def test_rounding_is_half_away_from_zero():
    assert fmt.number(27.85, 1) == "27,9"
    assert fmt.number(-3.25, 1) == "-3,3"


def test_qualifier_and_units():
    assert fmt.value(83, "percent", 0, qualifier="plus_de") == f"plus de 83{NB}%"
    assert fmt.value(27164, "euros") == f"27{NB}164{NB}€"
    assert fmt.value(140900, "count_fte") == f"140{NB}900{NB}ETP"


def test_english_formatting():
    assert fmt.value(13.8, "percent", 1, lang="en") == f"13.8{NB}%"
    assert fmt.number(2600000, lang="en") == "2,600,000"


def test_missing_value_and_periods():
    assert fmt.number(float("nan")) == "n.d."
    assert fmt.period("nd") == "non daté"
    assert fmt.period("2002-") == "depuis 2002"
    assert fmt.period("2008-2015") == "2008-2015"
