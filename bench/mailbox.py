"""Shared-mailbox benchmark (issue #33), on PostgreSQL or SQLite, whichever
DATABASE_URL names; Dovecot and the SMTP sink as the tests start them
(tests/mail_servers.py, tests/smtp_sink.py), on 127.0.0.1.

M1  reading: 10,000 citizens' mails appended to the municipality's mailbox
    (seven in ten plain Danish text, two in ten with an HTML version, one
    in ten with a 100 kB PDF; a third of them replies in an earlier mail's
    thread), read by the worker's read_mailbox in rounds of 100 until none
    is left: each mail parsed, threaded and kept. Against the ceiling
    measured in the same run: the same mails fetched by the IMAP client
    alone (fetch_new, rounds of 100), nothing parsed or kept.
M2  answering: each open inquiry answered through answer_inquiry (the
    answer, its thread's headers, the contact log's line, the outbox row)
    and sent by the outbox (deliver_due_messages) over SMTP to the sink.
    Against the ceiling: as many mails of the same size sent with
    Django's EmailMessage.send, nothing else.

    .venv/bin/python -m bench.mailbox                 # PostgreSQL (skranke_bench)
    DATABASE_URL=sqlite:////tmp/mailbox.sqlite3 .venv/bin/python -m bench.mailbox

Results are printed and written to bench/results/mailbox_<database>.json.
"""

import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Topic
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.inquiries.handling import answer_inquiry
from skranke.inquiries.imap_client import open_mailbox
from skranke.inquiries.mailbox_reading import mailbox_access, read_mailbox
from skranke.inquiries.models import Inquiry, Mailbox
from skranke.notifications.delivery import deliver_due_messages
from tests.mail_servers import Dovecot, ImapServer, dovecot_unavailable
from tests.mail_tls import make_mail_tls
from tests.smtp_sink import SmtpSink, start_smtp_sink

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MAILS = int(os.environ.get("BENCH_MAILS", "10000"))
BATCH = 100
SEED = 20261207
ADDRESS = "borgerservice@bench.dk"
SUBJECTS = ["Pas", "Kørekort", "Sundhedskort", "Flytning", "Boligstøtte", "Vielse"]
TEXT = (
    "Hej Borgerservice\n\nJeg skriver angående {subject}. Kan I fortælle mig, hvad jeg skal"
    " have med, og om jeg skal bestille tid? Jeg har prøvet at finde svaret på hjemmesiden.\n\n"
)
ANSWER = (
    "Kære borger\n\nTak for din mail. Du kan bestille tid på vores hjemmeside.\n\n"
    "Venlig hilsen\nBorgerservice"
)


def make_mails() -> list[bytes]:
    rng = random.Random(SEED)
    pdf = b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(100_000))
    sent: list[str] = []
    mails = []
    for number in range(MAILS):
        mail = MimeMessage()
        mail["From"] = f"Borger {number} <borger{number}@example.dk>"
        mail["To"] = ADDRESS
        subject = rng.choice(SUBJECTS)
        mail["Date"] = format_datetime(clock.now())
        mail["Message-ID"] = make_msgid(idstring=f"bench{number}", domain="example.dk")
        if sent and rng.random() < 1 / 3:
            earlier = rng.choice(sent)
            mail["Subject"] = f"Re: {subject}"
            mail["In-Reply-To"] = earlier
            mail["References"] = earlier
        else:
            mail["Subject"] = subject
        text = TEXT.format(subject=subject.lower()) * rng.randrange(1, 6) + f"Borger {number}"
        mail.set_content(text)
        kind = rng.random()
        if kind < 0.2:
            mail.add_alternative(f"<p>{text}</p>".replace("\n", "<br>"), subtype="html")
        elif kind < 0.3:
            mail.add_attachment(pdf, maintype="application", subtype="pdf", filename="bilag.pdf")
        sent.append(mail["Message-ID"])
        mails.append(bytes(mail))
    return mails


def prepare() -> tuple[Municipality, Location, User, Topic]:
    if connection.vendor == "postgresql":
        from bench.booking import prepare_database  # creates the database when missing

        prepare_database()
    else:
        call_command("migrate", verbosity=0)
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench-mail", defaults={"name": "Bench mail"}
    )
    location, _ = Location.objects.get_or_create(
        municipality=municipality, slug="bench-mail", defaults={"name": "Bench"}
    )
    agent, _ = User.objects.get_or_create(
        username="bench-mail-agent",
        defaults={"municipality": municipality, "role": Role.CONTACT_AGENT},
    )
    agent.locations.set([location])
    topic, _ = Topic.objects.get_or_create(municipality=municipality, name_da="Pas")
    Inquiry.objects.filter(municipality=municipality).delete()
    Mailbox.objects.filter(municipality=municipality).delete()
    return municipality, location, agent, topic


def deliver_all(server: ImapServer, mails: list[bytes]) -> None:
    client = server.connect()
    try:
        for raw in mails:
            client.append("INBOX", "()", "", raw)
    finally:
        client.logout()


def timed_reading(mailbox: Mailbox) -> tuple[float, int]:
    """read_mailbox until nothing is left: seconds, mails kept."""
    kept = 0
    started = time.perf_counter()
    while True:
        # As the worker's round marks it (read_mailboxes); read_mailbox
        # clears the mark when more mail waits.
        Mailbox.objects.filter(pk=mailbox.pk).update(read_at=clock.now())
        mailbox.refresh_from_db()
        kept += read_mailbox(mailbox=mailbox, batch=BATCH)
        mailbox.refresh_from_db()
        if mailbox.read_at is not None:
            break
    return time.perf_counter() - started, kept


def timed_bare_fetch(mailbox: Mailbox) -> tuple[float, int]:
    """The ceiling of M1: the same mails fetched, nothing parsed or kept."""
    fetched = 0
    after = 0
    started = time.perf_counter()
    with open_mailbox(access=mailbox_access(mailbox=mailbox)) as session:
        validity = None
        while True:
            batch = session.fetch_new(uid_validity=validity, after_uid=after, limit=BATCH)
            validity = batch.uid_validity
            fetched += len(batch.mails)
            if batch.mails:
                after = batch.mails[-1].uid
            if not batch.more:
                break
    return time.perf_counter() - started, fetched


def timed_answering(agent: User, topic: Topic, municipality: Municipality) -> tuple[float, int]:
    ids = list(
        Inquiry.objects.filter(municipality=municipality, status=Inquiry.Status.OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    started = time.perf_counter()
    for inquiry_id in ids:
        answer_inquiry(staff=agent, inquiry_id=inquiry_id, text=ANSWER, topic_id=topic.pk)
    while deliver_due_messages(limit=BATCH):
        pass
    return time.perf_counter() - started, len(ids)


def timed_bare_sending(count: int) -> float:
    started = time.perf_counter()
    for number in range(count):
        EmailMessage(
            subject="Re: Pas", body=ANSWER, from_email=ADDRESS, to=[f"borger{number}@example.dk"]
        ).send()
    return time.perf_counter() - started


@contextmanager
def mail_servers() -> Iterator[tuple[ImapServer, SmtpSink]]:
    reason = dovecot_unavailable()
    if reason:
        sys.exit(f"Dovecot cannot run here: {reason} (scripts/ensure-mail-servers)")
    tls = make_mail_tls(Path(tempfile.mkdtemp(prefix="bench-mail-tls-")))
    dovecot = Dovecot(tls=tls)
    dovecot.start()
    try:
        with start_smtp_sink(tls=tls.server_context(), ca_path=tls.ca_path) as sink:
            yield dovecot.add_mailbox(), sink
    finally:
        dovecot.stop()


def main() -> None:
    municipality, location, agent, topic = prepare()
    mails = make_mails()
    with mail_servers() as (server, sink):
        deliver_all(server, mails)
        mailbox = Mailbox.objects.create(
            municipality=municipality,
            name="Bench",
            address=ADDRESS,
            host=server.host,
            port=server.port,
            username=server.user,
            password=server.password,
            location=location,
        )
        smtp = {
            "EMAIL_TRANSPORT": "email",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": sink.host,
            "EMAIL_PORT": sink.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "MAILBOX_CA_FILE": str(server.ca_path),
        }
        with override_settings(**smtp):
            bare_fetch_s, fetched = timed_bare_fetch(mailbox)
            reading_s, kept = timed_reading(mailbox)
            inquiries = Inquiry.objects.filter(municipality=municipality).count()
            answering_s, answered = timed_answering(agent, topic, municipality)
            sent = len(sink.envelopes)
            bare_sending_s = timed_bare_sending(answered)
    result = {
        "database": connection.vendor,
        "mails": MAILS,
        "fetched_bare": fetched,
        "bare_fetch_s": round(bare_fetch_s, 2),
        "kept": kept,
        "inquiries": inquiries,
        "reading_s": round(reading_s, 2),
        "reading_mails_per_s": round(kept / reading_s, 1),
        "reading_over_bare_fetch": round(reading_s / bare_fetch_s, 2),
        "answered": answered,
        "answers_sent": sent,
        "answering_s": round(answering_s, 2),
        "answers_per_s": round(answered / answering_s, 1),
        "bare_sending_s": round(bare_sending_s, 2),
        "answering_over_bare_sending": round(answering_s / bare_sending_s, 2),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"mailbox_{connection.vendor}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
