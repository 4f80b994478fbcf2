"""Why a domain function refused. Every app's refusals derive from
DomainError, so a page or the API answers them all the same way: a code for
machines, a status, and a message for people in the active language, naming
the field it is about when there is one."""

from django.utils.functional import Promise


class DomainError(Exception):
    code = "invalid"
    status = 422

    def __init__(self, message: str | Promise, *, field: str = "") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The request itself is wrong: bad input, a time that is never offered."""
