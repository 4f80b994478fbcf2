"""A CPR number in text that may hold one (a citizen's e-mail) is shown
masked in lists: its six date digits and "xxxx", however it was written.
Every number the free-text check refuses is masked; phone numbers, dates
and case numbers are left as they are."""

import pytest

from skranke.core.cpr import contains_cpr_number, mask_cpr_numbers
from tests.core.test_free_text import CPR_NUMBERS, ORDINARY

pytestmark = pytest.mark.computation


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("010190-1234", "010190-xxxx"),
        ("0101901234", "010190-xxxx"),
        ("01.01.90-1234", "010190-xxxx"),
        ("01 01 90 1234", "010190-xxxx"),
        ("01/01/90/1234", "010190-xxxx"),
        ("010190 \u2013 1234", "010190-xxxx"),
        ("Mit cpr er 311299-4321, ring gerne", "Mit cpr er 311299-xxxx, ring gerne"),
        (
            "Mig: 010190-1234, min søn: 241070\u20131111.",
            "Mig: 010190-xxxx, min søn: 241070-xxxx.",
        ),
        ("cpr:0101901234\nnæste linje", "cpr:010190-xxxx\nnæste linje"),
    ],
)
def test_a_cpr_number_shows_its_date_and_hides_the_rest(text: str, masked: str) -> None:
    assert mask_cpr_numbers(text=text) == masked


@pytest.mark.parametrize("text", CPR_NUMBERS)
def test_every_number_the_free_text_check_refuses_is_masked(text: str) -> None:
    masked = mask_cpr_numbers(text=text)

    assert not contains_cpr_number(masked)
    assert "-xxxx" in masked


@pytest.mark.parametrize("text", ORDINARY)
def test_phone_numbers_and_dates_are_left_alone(text: str) -> None:
    assert mask_cpr_numbers(text=text) == text
