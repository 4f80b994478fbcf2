"""A solved challenge is good once, before it expires, and only as it was
given: a wrong number, a changed field or a forged signature is refused."""

import base64
import json
from datetime import timedelta

import pytest
from django.test import override_settings

from skranke.challenge.models import SpentProof
from skranke.challenge.proof_of_work import (
    encode_solution,
    hash_attempt,
    issue_challenge,
    read_solution,
    spend_solution,
)
from skranke.challenge.spent import forget_spent_proofs
from skranke.core import clock
from tests.challenge.solving import solve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stopped_clock")]


def secret_number(challenge: dict[str, object]) -> int:
    payload = json.loads(base64.b64decode(solve(challenge)))
    return int(payload["number"])


def changed(solution: str, **fields: object) -> str:
    payload = json.loads(base64.b64decode(solution))
    return base64.b64encode(json.dumps({**payload, **fields}).encode()).decode()


@override_settings(CHALLENGE_MAX_NUMBER=2000)
def test_a_challenge_hides_a_number_no_greater_than_its_maxnumber() -> None:
    challenge = issue_challenge()
    assert challenge.algorithm == "SHA-256"
    assert challenge.maxnumber == 2000
    assert 0 <= secret_number(challenge.as_dict()) <= 2000
    assert challenge.expires == int((clock.now() + timedelta(minutes=30)).timestamp())
    # Each is new: another salt, so another hash to find.
    assert issue_challenge().salt != challenge.salt


@override_settings(CHALLENGE_MAX_NUMBER=2000)
def test_the_right_number_passes_once_and_a_replay_is_refused() -> None:
    solution = solve(issue_challenge().as_dict())
    assert spend_solution(text=solution) is True
    assert spend_solution(text=solution) is False
    assert SpentProof.objects.count() == 1


@override_settings(CHALLENGE_MAX_NUMBER=2000)
def test_a_wrong_number_is_refused() -> None:
    challenge = issue_challenge()
    right = secret_number(challenge.as_dict())
    for wrong in (right + 1, right - 1, -1):
        assert spend_solution(text=encode_solution(challenge, number=wrong)) is False
    # Refusals spend nothing: the right answer still works.
    assert spend_solution(text=encode_solution(challenge, number=right)) is True


@override_settings(CHALLENGE_MAX_NUMBER=2000)
def test_an_expired_challenge_is_refused() -> None:
    solution = solve(issue_challenge().as_dict())
    clock.advance(timedelta(minutes=30))
    assert spend_solution(text=solution) is False


@override_settings(CHALLENGE_MAX_NUMBER=2000)
def test_a_tampered_challenge_is_refused() -> None:
    challenge = issue_challenge()
    solution = solve(challenge.as_dict())
    later = challenge.expires + 86400
    assert spend_solution(text=changed(solution, signature="0" * 64)) is False
    # A later expiry, or an easier puzzle of one's own, breaks the signature.
    assert spend_solution(text=changed(solution, expires=later)) is False
    easy_salt = "x"
    easy = {"salt": easy_salt, "challenge": hash_attempt(salt=easy_salt, number=0), "number": 0}
    assert spend_solution(text=changed(solution, **easy)) is False
    assert spend_solution(text=solution) is True


@override_settings(CHALLENGE_MAX_NUMBER=2000, SECRET_KEY="another-installation-" + "k" * 40)
def test_a_challenge_signed_with_another_key_is_refused() -> None:
    solution = solve(issue_challenge().as_dict())
    with override_settings(SECRET_KEY="this-installation-" + "k" * 40):
        assert spend_solution(text=solution) is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not base64 at all!",
        base64.b64encode(b"not json").decode(),
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(json.dumps({"challenge": "a", "salt": "b"}).encode()).decode(),
        base64.b64encode(
            json.dumps(
                {"challenge": "a", "salt": "b", "signature": "c", "expires": 1, "number": True}
            ).encode()
        ).decode(),
        "A" * 5000,
    ],
)
def test_anything_but_a_solution_is_refused_without_an_error(text: str) -> None:
    assert read_solution(text) is None
    assert spend_solution(text=text) is False


@override_settings(CHALLENGE_MAX_NUMBER=2000)
def test_a_solution_may_come_unpadded_and_url_safe() -> None:
    solution = solve(issue_challenge().as_dict())
    url_safe = solution.replace("+", "-").replace("/", "_").rstrip("=")
    assert read_solution(url_safe) == read_solution(solution)


@override_settings(CHALLENGE_MAX_NUMBER=2000)
def test_spent_proofs_are_forgotten_once_they_would_have_expired() -> None:
    assert spend_solution(text=solve(issue_challenge().as_dict()))
    assert forget_spent_proofs() == 0
    clock.advance(timedelta(minutes=31))
    assert forget_spent_proofs() == 1
    assert not SpentProof.objects.exists()
