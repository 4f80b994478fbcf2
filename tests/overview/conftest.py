from tests.centre import centre, passport, postal_vote
from tests.queueing.conftest import book

__all__ = ["book", "centre", "passport", "postal_vote"]
