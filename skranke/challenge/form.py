"""The challenge as a web form carries it (the booking's review step):
a challenge for the page's script to solve (static/challenge/solve.js)
and, for a browser without JavaScript, a wait token and the words to
wait. Both are checked when the form comes back; either one will do.

Made lazily: a page that shows no form (a time already taken) does not
read the counts, and a page that does reads them once."""

from collections.abc import Callable
from functools import cached_property

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skranke.challenge.pressure import Pressure, measure_pressure
from skranke.challenge.proof_of_work import Challenge, issue_challenge, spend_solution
from skranke.challenge.waiting import check_wait_token, issue_wait_token

SOLUTION_FIELD = "challenge_solution"
WAIT_FIELD = "challenge_wait"


class FormChallenge:
    def __init__(
        self, request: HttpRequest, *, draft: str, usual_per_hour: Callable[[], float]
    ) -> None:
        self.request = request
        # The wait token is good for this draft (and this session) only.
        self.draft = draft
        self.usual_per_hour = usual_per_hour
        self.error = ""
        # An early wait token that came back is given out again, so the
        # citizen waits only for what is left of it.
        self._early_wait_token = ""

    @cached_property
    def pressure(self) -> Pressure:
        return measure_pressure(request=self.request, usual_per_hour=self.usual_per_hour)

    @property
    def required(self) -> bool:
        return self.pressure.challenge_required

    @cached_property
    def puzzle(self) -> Challenge:
        return issue_challenge(max_number=self.pressure.max_number)

    @cached_property
    def wait_token(self) -> str:
        return self._early_wait_token or issue_wait_token(
            request=self.request, draft=self.draft, seconds=self.wait_seconds
        )

    @property
    def wait_seconds(self) -> int:
        return self.pressure.wait_seconds

    @property
    def solution_field(self) -> str:
        return SOLUTION_FIELD

    @property
    def wait_field(self) -> str:
        return WAIT_FIELD

    def passes(self, data: QueryDict) -> bool:
        """Whether the posted form may go on: no challenge needed, a
        correct solution, or a wait token that is due. Otherwise `error`
        says why, and the form is to be shown again with a fresh challenge."""
        if not self.required:
            return True
        if spend_solution(
            text=data.get(SOLUTION_FIELD, ""), least_max_number=self.pressure.least_max_number
        ):
            return True
        wait = check_wait_token(
            request=self.request, draft=self.draft, token=data.get(WAIT_FIELD, "")
        )
        if wait.passed:
            return True
        if wait.seconds_left:
            self._early_wait_token = data.get(WAIT_FIELD, "")
            self.error = ngettext(
                "Please wait %(seconds)d more second, and then press the button again.",
                "Please wait %(seconds)d more seconds, and then press the button again.",
                wait.seconds_left,
            ) % {"seconds": wait.seconds_left}
        else:
            self.error = _(
                "We need to check once more that you are not a robot. Wait a moment, "
                "and then press the button below."
            )
        return False
