"""What the contact centre's functions refuse, with a message for the agent
and the field it is about."""

from skranke.core.errors import DomainError


class InvalidContact(DomainError):
    code = "invalid_contact"
    status = 422
