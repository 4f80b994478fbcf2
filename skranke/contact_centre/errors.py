"""What the contact centre's functions refuse, with a message for the agent
and the field it is about."""

from django.utils.functional import Promise


class InvalidContact(Exception):
    def __init__(self, message: str | Promise, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
