"""What the worker does on every round. Each job finds its own work in the
database (rows that are due), so any number of workers may run, and a
worker that stops loses nothing: the rows wait for the next round."""

from collections.abc import Callable

from skranke.booking.holds import release_lapsed_holds
from skranke.challenge.spent import forget_spent_proofs
from skranke.challenge.waiting import forget_outstanding_waits
from skranke.contact_centre.call_events import finish_overdue_calls, forget_old_live_calls
from skranke.inquiries.mailbox_marking import mark_answered_mails
from skranke.inquiries.mailbox_reading import read_mailboxes
from skranke.inquiries.returned_mail import notice_undelivered_mail
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.too_late import give_up_late_messages
from skranke.privacy.erasure import erase_personal_data
from skranke.queueing.closing import close_past_visits, mark_no_shows
from skranke.queueing.turn_soon import release_turn_soon_messages
from skranke.rate_limits.allowance import forget_old_windows
from skranke.sign_in.lockout import forget_old_sign_in_attempts
from skranke.surveys.invitations import invite_to_surveys

# Each returns how much it did, so the worker knows whether to look again
# at once or rest.
# The day's work: what citizens and staff wait for.
DAY_JOBS: list[Callable[[], int]] = [
    release_lapsed_holds,  # times never confirmed by their code, free again
    release_turn_soon_messages,  # before delivery: a released message goes this round
    deliver_due_messages,
    give_up_late_messages,  # so that no recipient waits in the outbox for ever
    mark_no_shows,
    close_past_visits,
    invite_to_surveys,  # its messages go out next round
    finish_overdue_calls,  # calls that ended without their answer, waited for long enough
    read_mailboxes,  # each municipality's shared mailbox, every minute: new mail, new inquiries
    mark_answered_mails,  # after delivery: the citizen's mail marked answered in the mailbox
    notice_undelivered_mail,  # an answer or forward the outbox gave up on: back on the worklist
]
# Housekeeping: nobody waits for it, and at national scale a worker of its
# own runs it (`run_worker --jobs housekeeping`), so that a long erasure
# never holds up the evening's reminders.
HOUSEKEEPING_JOBS: list[Callable[[], int]] = [
    erase_personal_data,  # once an hour; batches until nothing is due
    forget_old_windows,  # rate limits' counters whose window has ended
    forget_spent_proofs,  # used challenge solutions that have expired anyway
    forget_outstanding_waits,  # wait tokens that have expired
    forget_old_sign_in_attempts,  # the lockout's failed attempts once the lock has lifted
    forget_old_live_calls,  # the phone system's live calls a day after their last event
]
JOBS: list[Callable[[], int]] = [*DAY_JOBS, *HOUSEKEEPING_JOBS]
