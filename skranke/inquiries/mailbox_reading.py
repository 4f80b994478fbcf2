"""The worker reads each municipality's shared mailbox: the mail that came
since it last read, in the order it came, each kept in its inquiry
(threads.py) before the mailbox's place is moved past it, so a worker
stopped halfway loses nothing and a mail read again is kept once.

A mailbox that cannot be read (the server down, the password expired, the
app's secret withdrawn) says so on the manager's overview from the first
failure, with what the server said, and is tried again every few minutes;
when it can be read again, the mail that waited comes in as any other.
Any number of workers may run: a mailbox is read by the one that marks
it first (an update of its read time as it was read)."""

import logging
import ssl
from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from skranke.core import clock
from skranke.inquiries.imap_client import (
    MailboxAccess,
    MailboxFolderMissing,
    MailboxSignInRefused,
    MailboxUnreachable,
    open_mailbox,
)
from skranke.inquiries.mail_reading import read_mail
from skranke.inquiries.models import Mailbox
from skranke.inquiries.oauth_tokens import (
    TokenEndpointUnreachable,
    TokenRefused,
    fetch_access_token,
    forget_access_token,
)
from skranke.inquiries.threads import add_mail_to_inquiries

logger = logging.getLogger(__name__)

# Mails read in one go: a mailbox with a backlog is read over several
# rounds, and the worker's other jobs run in between.
BATCH = 100
# What keeps a mailbox from being reached or signed in to. The reading
# says which on the manager's overview; the other jobs that talk to the
# mailbox (marking answered mail, waiting with IDLE) try again later.
MAILBOX_FAILURES = (
    MailboxUnreachable,
    MailboxSignInRefused,
    MailboxFolderMissing,
    TokenRefused,
    TokenEndpointUnreachable,
    ssl.SSLError,
    ValueError,  # a token URL that is not https (oauth_tokens.py)
)


def read_mailboxes() -> int:
    """Each active mailbox due to be read: how many mails were kept."""
    now = clock.now()
    # A mailbox a worker watches with IDLE is made due when mail arrives
    # (mailbox_watching.py); it is looked in at the long interval as well.
    unwatched = (
        Q(new_mail=Mailbox.NewMail.POLL) | Q(watched_until__isnull=True) | Q(watched_until__lte=now)
    )
    due = Q(read_at__isnull=True) | Q(
        unwatched,
        status__in=[Mailbox.Status.NEW, Mailbox.Status.OK],
        read_at__lte=now - timedelta(seconds=settings.MAILBOX_READ_SECONDS),
    )
    due |= Q(read_at__lte=now - timedelta(seconds=settings.MAILBOX_IDLE_READ_SECONDS))
    due |= Q(
        status__in=[Mailbox.Status.UNREACHABLE, Mailbox.Status.REFUSED],
        read_at__lte=now - timedelta(seconds=settings.MAILBOX_RETRY_SECONDS),
    )
    kept = 0
    for mailbox in Mailbox.objects.filter(due, active=True).order_by("pk"):
        claimed = Mailbox.objects.filter(pk=mailbox.pk, read_at=mailbox.read_at).update(read_at=now)
        if claimed:
            kept += read_mailbox(mailbox=mailbox)
    return kept


def read_mailbox(*, mailbox: Mailbox, batch: int = BATCH) -> int:
    """Read `mailbox` once: the new mail into inquiries, and what came of
    it in the mailbox's status. How many mails were kept."""
    try:
        access = mailbox_access(mailbox=mailbox)
        kept = 0
        with open_mailbox(access=access) as session:
            fetched = session.fetch_new(
                uid_validity=mailbox.uid_validity,
                after_uid=mailbox.last_uid,
                limit=batch,
                max_bytes=settings.MAILBOX_MAIL_MAX_BYTES,
            )
            if fetched.uid_validity != mailbox.uid_validity:
                # The server numbered its mail anew: read it all again from
                # the start; what was kept before is known by its id.
                Mailbox.objects.filter(pk=mailbox.pk).update(
                    uid_validity=fetched.uid_validity, last_uid=0
                )
            own = frozenset({mailbox.address.lower()})
            for mail in fetched.mails:
                read = read_mail(raw=mail.raw, own_addresses=own)
                kept += (
                    add_mail_to_inquiries(
                        mailbox=mailbox,
                        read=read,
                        uid=mail.uid,
                        uid_validity=fetched.uid_validity,
                        cut=mail.cut,
                    )
                    is not None
                )
                Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=mail.uid)
    except (MailboxSignInRefused, TokenRefused) as error:
        if mailbox.sign_in == Mailbox.SignIn.OAUTH2:
            # A token the server no longer takes is not tried again.
            forget_access_token(
                token_url=mailbox.token_url, client_id=mailbox.client_id, scope=mailbox.scope
            )
        _failed(mailbox=mailbox, status=Mailbox.Status.REFUSED, error=error)
        return 0
    except (MailboxUnreachable, TokenEndpointUnreachable, MailboxFolderMissing) as error:
        _failed(mailbox=mailbox, status=Mailbox.Status.UNREACHABLE, error=error)
        return 0
    except ValueError as error:
        # A token URL that is not https (oauth_tokens.py refuses to send
        # the secret there): the set-up is wrong, said as a refusal.
        _failed(mailbox=mailbox, status=Mailbox.Status.REFUSED, error=error)
        return 0
    Mailbox.objects.filter(pk=mailbox.pk).update(
        status=Mailbox.Status.OK, last_error="", failing_since=None
    )
    if fetched.more:
        # More waits: due again at the next round, not after the interval.
        Mailbox.objects.filter(pk=mailbox.pk).update(read_at=None)
    return kept


def mailbox_access(*, mailbox: Mailbox) -> MailboxAccess:
    """How to sign in to `mailbox` now (an OAuth 2 token fetched, or kept
    from before), its server's certificate checked."""
    context = ssl.create_default_context(cafile=settings.MAILBOX_CA_FILE or None)
    if mailbox.sign_in == Mailbox.SignIn.OAUTH2:
        token = fetch_access_token(
            token_url=mailbox.token_url,
            client_id=mailbox.client_id,
            client_secret=mailbox.client_secret,
            scope=mailbox.scope,
        )
        return MailboxAccess(
            host=mailbox.host,
            port=mailbox.port,
            username=mailbox.username,
            folder=mailbox.folder,
            access_token=token,
            ssl_context=context,
        )
    return MailboxAccess(
        host=mailbox.host,
        port=mailbox.port,
        username=mailbox.username,
        folder=mailbox.folder,
        password=mailbox.password,
        ssl_context=context,
    )


def _failed(*, mailbox: Mailbox, status: str, error: Exception) -> None:
    logger.warning("mailbox %s could not be read: %s", mailbox.pk, type(error).__name__)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        status=status,
        last_error=str(error)[:500],
        failing_since=mailbox.failing_since or clock.now(),
    )


def failing_mailboxes(*, municipality_ids: set[int]) -> list[Mailbox]:
    """The municipalities' active mailboxes that could not be read when last
    tried: the manager's overview says so, with since when and why."""
    return list(
        Mailbox.objects.filter(
            municipality_id__in=municipality_ids,
            active=True,
            status__in=[Mailbox.Status.UNREACHABLE, Mailbox.Status.REFUSED],
        ).order_by("name", "pk")
    )
