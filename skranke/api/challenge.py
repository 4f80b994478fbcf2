"""The proof of work against hoarding, for programs (skranke/challenge,
docs/api.md): `GET /challenge` gives one; `POST /bookings` needs it solved
in the X-Skranke-Challenge header while the challenge is on, else 428."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from skranke.api.errors import ApiError
from skranke.booking.usual_level import usual_online_bookings_this_hour
from skranke.challenge.pressure import Pressure, measure_pressure
from skranke.challenge.proof_of_work import issue_challenge, spend_solution

router = Router(tags=["bookings"])

CHALLENGE_HEADER = "X-Skranke-Challenge"


class ChallengeOut(Schema):
    algorithm: str
    challenge: str
    salt: str
    maxnumber: int
    signature: str
    expires: int


@router.get("/challenge", response=ChallengeOut)
def get_challenge(request: HttpRequest) -> dict[str, object]:
    """Find `number` (0 to `maxnumber`) with SHA-256(salt + number) = challenge
    (hex), and send this object with `number` added, as JSON in base64, in
    the X-Skranke-Challenge header of POST /bookings; once, before `expires`
    (Unix time). `maxnumber` grows with the pressure on bookings."""
    return issue_challenge(max_number=pressure_on(request).max_number).as_dict()


def pressure_on(request: HttpRequest) -> Pressure:
    return measure_pressure(request=request, usual_per_hour=usual_online_bookings_this_hour)


def refuse_unless_challenge_solved(*, request: HttpRequest, solution: str) -> Pressure:
    """428 when the challenge is on and `solution` is not a correct, unused
    one, about as hard as the pressure now asks. The pressure, when it
    passes."""
    pressure = pressure_on(request)
    if not pressure.challenge_required or spend_solution(
        text=solution, least_max_number=pressure.least_max_number
    ):
        return pressure
    where = reverse("api-v1:get_challenge")
    raise ApiError(
        428,
        "challenge_required",
        _(
            "Bookings need a solved challenge just now: get one from %(where)s "
            "and send it, solved, in the %(header)s header."
        )
        % {"where": where, "header": CHALLENGE_HEADER},
    )
