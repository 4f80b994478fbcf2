from tests.centre import card, centre, passport

__all__ = ["card", "centre", "passport"]
