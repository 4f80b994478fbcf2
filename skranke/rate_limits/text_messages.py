"""What text messages may cost: at most SMS_CONFIRMATIONS_PER_PHONE_PER_DAY
confirmations to one number a day (the bookings still succeed; the
confirmation page and any e-mail still tell the citizen), at most
RATE_LIMIT_HOLD_CODES_PER_PHONE_PER_HOUR codes to confirm a held time, at most
SMS_PER_HOUR messages an hour for the whole installation (beyond it they
wait for the next hour, none is dropped), and none to numbers outside
Denmark unless SMS_TO_FOREIGN_NUMBERS allows it."""

from django.conf import settings

from skranke.core.phone_numbers import is_danish_number
from skranke.rate_limits.allowance import Decision, count_hits, spend_allowance
from skranke.rate_limits.limits import keyed_hash

DAY = 86400
HOUR = 3600
BUDGET_KEY = "sms-budget"


def may_text(*, phone: str) -> bool:
    """Whether a text message may go to `phone` (E.164) at all. Danish
    numbers are not told apart as mobile or fixed (the numbering plan
    mixes them), so every Danish number may; the provider refuses a
    fixed line by itself."""
    return settings.SMS_TO_FOREIGN_NUMBERS or is_danish_number(phone)


def spend_confirmation_text(*, phone: str) -> bool:
    """Count a confirmation by text to `phone`; whether it may be sent."""
    return spend_allowance(
        key=f"sms-confirmation:{keyed_hash(phone)}",
        limit=settings.SMS_CONFIRMATIONS_PER_PHONE_PER_DAY,
        window_seconds=DAY,
    ).allowed


def spend_hold_code_text(*, phone: str) -> bool:
    """Count a code to confirm a held time, to `phone`; whether it may be
    sent (RATE_LIMIT_HOLD_CODES_PER_PHONE_PER_HOUR): a household's
    bookings, not a stranger's number filled with codes."""
    return spend_allowance(
        key=f"sms-hold-code:{keyed_hash(phone)}",
        limit=settings.RATE_LIMIT_HOLD_CODES_PER_PHONE_PER_HOUR,
        window_seconds=HOUR,
    ).allowed


def spend_text_budget() -> Decision:
    """One message from this hour's budget; refused once it is used up."""
    return spend_allowance(key=BUDGET_KEY, limit=settings.SMS_PER_HOUR, window_seconds=HOUR)


def texts_held() -> bool:
    """Whether this hour's budget has turned a message away (refused
    attempts count too, so more hits than the budget means one was)."""
    return count_hits(key=BUDGET_KEY, window_seconds=HOUR) > settings.SMS_PER_HOUR
