"""What citizens write to the contact centre: e-mails to the municipality's
shared mailbox and text messages answering Skranke's, each thread one
inquiry on the contact centre's worklist."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.models import Location, Municipality


class Mailbox(models.Model):
    """A municipality's shared mailbox (Borgerservice's), read over IMAP with
    TLS by the worker. The password or client secret is kept as the single
    sign-on's client secret is: in the database, never shown again once
    saved (docs/inquiries.md says how to limit what it can do)."""

    STAFF_SCOPE = ("municipality", "municipality")

    class SignIn(models.TextChoices):
        PASSWORD = "password", _("User name and password")
        # Microsoft 365: the app's client credentials give an access token,
        # which IMAP takes with AUTHENTICATE XOAUTH2.
        OAUTH2 = "oauth2", _("OAuth 2 (XOAUTH2, client credentials)")

    class NewMail(models.TextChoices):
        POLL = "poll", _("Looked for at a fixed interval")
        # RFC 2177. Without IDLE on the server the mailbox is looked in at
        # the interval all the same.
        IDLE = "idle", _("Told by the server as it arrives (IMAP IDLE)")

    class Status(models.TextChoices):
        NEW = "new", _("Not read yet")
        OK = "ok", _("Read")
        UNREACHABLE = "unreachable", _("Cannot be reached")
        REFUSED = "refused", _("Sign-in refused")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.EmailField(
        _("address"), help_text=_("Where citizens write to; answers are sent from it.")
    )
    host = models.CharField(_("IMAP server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    username = models.CharField(_("user name"), max_length=200)
    sign_in = models.CharField(
        _("sign-in"), max_length=10, choices=SignIn.choices, default=SignIn.PASSWORD
    )
    password = models.CharField(_("password"), max_length=500, blank=True)
    token_url = models.URLField(
        _("token URL"),
        blank=True,
        help_text=_(
            "OAuth 2 only. Microsoft 365: "
            "https://login.microsoftonline.com/TENANT-ID/oauth2/v2.0/token"
        ),
    )
    client_id = models.CharField(_("client id"), max_length=200, blank=True)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    scope = models.CharField(
        _("scope"), max_length=200, blank=True, default="https://outlook.office365.com/.default"
    )
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    new_mail = models.CharField(
        _("new mail"),
        max_length=4,
        choices=NewMail.choices,
        default=NewMail.POLL,
        help_text=_(
            "IDLE: the worker keeps a connection open and reads a mail within"
            " seconds of its arrival (Microsoft 365 and Dovecot can). Otherwise"
            " it looks at a fixed interval, a minute unless set otherwise."
        ),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
        help_text=_("For mail sent to an address no route names."),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
        help_text=_("For mail sent to an address no route names."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Where reading stopped: IMAP's UIDs count up within one UIDVALIDITY.
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("last read"), null=True, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    # Which worker holds the mailbox's IDLE, and until when unless it says
    # again (mailbox_watching.py): one connection per mailbox however many
    # workers run, and a worker that died frees it.
    watched_by = models.CharField(max_length=100, blank=True)
    watched_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shared mailbox")
        verbose_name_plural = _("shared mailboxes")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "address"], name="one_mailbox_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class MailRoute(models.Model):
    """Mail sent to `address` (pas@…, borgerservice+bibliotek@…) belongs to
    a location or a topic: the worklist's first guess, which staff can
    change."""

    STAFF_SCOPE = ("municipality", "mailbox__municipality")

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.CASCADE, related_name="routes", verbose_name=_("mailbox")
    )
    address = models.EmailField(_("address written to"))
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )

    class Meta:
        verbose_name = _("route by address")
        verbose_name_plural = _("routes by address")
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "address"], name="one_route_per_address")
        ]

    def __str__(self) -> str:
        return self.address


class Inquiry(models.Model):
    """One thing a citizen asked in writing: an e-mail thread, or a text
    message answering one of Skranke's. Open until answered, settled
    without an answer, or forwarded to a department."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        SETTLED = "settled", _("Settled without an answer")
        FORWARDED = "forwarded", _("Forwarded to a department")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("mailbox"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    # The citizen: an e-mail address or a mobile number, and a name if the
    # mail gave one.
    sender = models.CharField(_("from"), max_length=254)
    sender_name = models.CharField(_("name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"), default=clock.now)
    last_received_at = models.DateTimeField(_("last received"), default=clock.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    claimed_at = models.DateTimeField(_("taken"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The text message's booking: the reminder the citizen answered.
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booking"),
    )
    # The contact log's line, once it is closed: the KPIs count it there.
    contact = models.OneToOneField(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    # A CPR number was found in the citizen's text: lists show it masked,
    # and retention keeps it only as the municipality's rules say.
    has_cpr_number = models.BooleanField(_("holds a CPR number"), default=False)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["municipality", "status", "received_at"]),
            models.Index(fields=["received_at"]),
            # Retention counts from it (personal_data.py).
            models.Index(fields=["closed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M}"


class InquiryMessage(models.Model):
    """One mail or text message of an inquiry: the citizen's, or an answer
    sent from Skranke."""

    class Direction(models.TextChoices):
        IN = "in", _("From the citizen")
        OUT = "out", _("Answer")
        # Sent on to a department, with the thread (handling.py).
        FORWARDED = "forwarded", _("Forwarded")

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="messages", verbose_name=_("inquiry")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    at = models.DateTimeField(_("time"), default=clock.now)
    # The mail's own Message-ID and the thread it answers: how a reply finds
    # its inquiry, and how our answer joins the citizen's thread.
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message_id = models.CharField(max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    imap_uid = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    # Why the text is not all there: cut at the size cap, an encoding not
    # understood, an empty mail with an attachment only (mail_reading.py's
    # notes, comma-separated).
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # An out-of-office reply, a bounce, a list's mail, our own answer come
    # back: kept with its thread, never answered, and it does not reopen it.
    automatic = models.CharField(_("automatic mail"), max_length=30, blank=True)
    # An answer: who wrote it, and the outbox's message that carries it.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    outbox_message = models.OneToOneField(
        "notifications.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A forward's department, by name (its address may change or go).
    forwarded_to = models.CharField(_("forwarded to"), max_length=100, blank=True)
    # A citizen's mail, once answered: marked \Answered in the mailbox too
    # (mailbox_marking.py), so colleagues reading it in Outlook see it.
    marked_answered_at = models.DateTimeField(null=True, blank=True)
    # An answer or forward that never reached its recipient: the outbox gave
    # up on it, or a delivery report brought it back (returned_mail.py).
    returned_at = models.DateTimeField(_("came back"), null=True, blank=True)
    returned_reason = models.CharField(_("why it came back"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("inquiry message")
        verbose_name_plural = _("inquiry messages")
        ordering = ["at", "pk"]
        constraints = [
            # A mail read twice (the mailbox read again after a failure) is
            # one message.
            models.UniqueConstraint(
                fields=["mailbox", "message_id"],
                condition=~Q(message_id=""),
                name="one_message_per_mail",
            )
        ]
        indexes = [models.Index(fields=["message_id"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.at:%Y-%m-%d %H:%M}"


class Department(models.Model):
    """A department of the municipality that the contact centre forwards
    what it cannot settle to, by e-mail (Ydelsesservice, Teknik og Miljø)."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class AnswerTemplate(models.Model):
    """A ready answer staff start from ("Tak for din mail …", opening hours,
    what to bring for a passport), in Danish or English, edited before it
    is sent."""

    STAFF_SCOPE = ("municipality", "municipality")

    class Language(models.TextChoices):
        DANISH = "da", _("Danish")
        ENGLISH = "en", _("English")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DANISH
    )
    text = models.TextField(_("text"), max_length=5000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["language", "position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class InquiryAttachment(models.Model):
    """A file that came with a mail: listed by name and size, and kept only
    where the settings allow (SKRANKE_INQUIRY_ATTACHMENTS_KEPT) and it is
    within the size cap."""

    message = models.ForeignKey(
        InquiryMessage,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("message"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    # In the database, not on a disk of its own: erased with its row, and
    # backed up and restored with the rest.
    content = models.BinaryField(_("file"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class ReceivedText(models.Model):
    """A text message sent to Skranke's number, as the SMS provider passed
    it on (text_replies.py): one row per provider's id, so that the
    provider's webhook sent again changes nothing. What it led to is its
    outcome; a cancellation waiting for its "JA" is the question in the
    outbox (text_replies.py says how it is found). The number and the text
    go after the message period (personal_data.py); the row stays, so that
    a copy of the webhook sent later still finds it."""

    class Outcome(models.TextChoices):
        CANCEL_ASKED = "cancel_asked", _("Asked to confirm the cancellation")
        CANCELLED = "cancelled", _("Booking cancelled")
        NOT_CANCELLABLE = "not_cancellable", _("Too late to cancel")
        CONFIRMED = "confirmed", _("Confirmed")
        INQUIRY = "inquiry", _("Inquiry on the worklist")
        UNKNOWN_NUMBER = "unknown_number", _("From a number Skranke has not written to")

    provider_id = models.CharField(_("provider's id"), max_length=100, unique=True)
    # E.164. Empty for a number Skranke has not written to: its text is
    # not kept either, as nobody will read it and it belongs to no
    # municipality whose retention could erase it.
    sender = models.CharField(_("from"), max_length=20, blank=True)
    text = models.TextField(_("text"), blank=True)
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), default=clock.now)
    # The booking of the last text Skranke sent to the number.
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booking"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # Skranke's answer in the outbox, if it sent one.
    answer = models.ForeignKey(
        "notifications.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer"),
    )

    class Meta:
        verbose_name = _("text message received")
        verbose_name_plural = _("text messages received")
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.received_at:%Y-%m-%d %H:%M}"
