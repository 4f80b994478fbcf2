from tests.centre import card, centre, passport, postal_vote

__all__ = ["card", "centre", "passport", "postal_vote"]
