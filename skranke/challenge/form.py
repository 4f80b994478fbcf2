"""The challenge as a web form carries it (the booking's review step):
a challenge for the page's script to solve (static/challenge/solve.js)
and, for a browser without JavaScript, a wait token and the words to
wait. Both are checked when the form comes back; either one will do.

Made lazily: a page that shows no form (a time already taken) does not
read the counts, and a page that does reads them once."""

from functools import cached_property

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skranke.challenge.activation import challenge_required
from skranke.challenge.proof_of_work import Challenge, issue_challenge, spend_solution
from skranke.challenge.waiting import check_wait_token, issue_wait_token, wait_seconds

SOLUTION_FIELD = "challenge_solution"
WAIT_FIELD = "challenge_wait"


class FormChallenge:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.error = ""
        # An early wait token that came back is given out again, so the
        # citizen waits only for what is left of it.
        self._early_wait_token = ""

    @cached_property
    def required(self) -> bool:
        return challenge_required(request=self.request)

    @cached_property
    def puzzle(self) -> Challenge:
        return issue_challenge()

    @cached_property
    def wait_token(self) -> str:
        return self._early_wait_token or issue_wait_token(request=self.request)

    @property
    def wait_seconds(self) -> int:
        return wait_seconds()

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
        if spend_solution(text=data.get(SOLUTION_FIELD, "")):
            return True
        wait = check_wait_token(request=self.request, token=data.get(WAIT_FIELD, ""))
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
