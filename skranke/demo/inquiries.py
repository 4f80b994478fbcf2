"""The demo's written inquiries: a morning's mail to Borgerservice as it
would stand on the worklist (one overdue, one with a CPR number the
citizen wrote, one that came as a web page, a reply to an answer), a
citizen's text message about their booking, answer templates and two
departments to forward to. No
mailbox is connected: the demo reads none."""

from datetime import datetime, timedelta

from skranke.booking.models import Booking
from skranke.core.cpr import contains_cpr_number
from skranke.core.models import Location, Municipality
from skranke.demo.contact_year import load_topics
from skranke.inquiries.mail_reading import MailNote
from skranke.inquiries.models import AnswerTemplate, Department, Inquiry, InquiryMessage
from skranke.inquiries.text_replies import first_words

# (sender, name, subject, text, hours before now, topic, notes)
MAILS = [
    (
        "bente.mortensen@example.dk",
        "Bente Mortensen",
        "Nyt pas til mit barnebarn",
        "Hej\n\nMit barnebarn skal have nyt pas inden sommerferien. Kan jeg bestille tiden for"
        " ham, eller skal hans forældre gøre det? Han er 12 år.\n\nVenlig hilsen\nBente",
        # Six days back: past two opening days whatever day the demo starts.
        144,
        "Pas",
        "",
    ),
    (
        "ahmad.karimi@example.dk",
        "Ahmad Karimi",
        "Kørekort - fornyelse",
        "Goddag\n\nMit kørekort udløber i næste måned. Hvad skal jeg have med, når jeg kommer?"
        " Skal jeg have en lægeerklæring?\n\nMvh Ahmad Karimi",
        20,
        "Kørekort",
        "",
    ),
    (
        "j.hansen@example.dk",
        "Jens Hansen",
        "Sygesikringskort",
        "Jeg har mistet mit gule kort. Mit CPR-nummer er 010190-1234. Hvordan får jeg et nyt?",
        3,
        "Sygesikring",
        "",
    ),
    (
        "nyhedsbrev-svar@example.dk",
        "Lone Sørensen",
        "Flytning",
        "Vi er flyttet til Strandvejen 12 den 1. i måneden. Skal vi også melde det til jer,"
        " når vi har gjort det på borger.dk?\n\nLone Sørensen (https://borger.dk)",
        1,
        "Folkeregister",
        MailNote.HTML_ONLY,
    ),
]

DEPARTMENTS = [
    ("Teknik og Miljø", "teknik@kommune.example"),
    ("Ydelsesservice", "ydelser@kommune.example"),
]

TEMPLATES = [
    (
        "Tak for din mail",
        AnswerTemplate.Language.DANISH,
        "Kære …\n\nTak for din mail.\n\n…\n\nVenlig hilsen\nBorgerservice",
    ),
    (
        "Bestil tid",
        AnswerTemplate.Language.DANISH,
        "Kære …\n\nDu kan bestille en tid på vores hjemmeside, eller ringe til os. Husk at tage"
        " gyldigt billed-id med.\n\nVenlig hilsen\nBorgerservice",
    ),
    (
        "Thank you for your mail",
        AnswerTemplate.Language.ENGLISH,
        "Dear …\n\nThank you for your mail.\n\n…\n\nKind regards\nCitizen Service",
    ),
]


def load_demo_inquiries(*, municipality: Municipality, location: Location, now: datetime) -> int:
    """The demo's inquiries, once: none are added where there are some."""
    if Inquiry.objects.filter(municipality=municipality).exists():
        return 0
    # The contact log's topics (loaded with the contact year as well), so
    # that each inquiry has its guess and can be closed under one.
    topics = {
        topic.name_da: topic
        for group in load_topics(municipality=municipality).values()
        for topic in group
    }
    for sender, name, subject, text, hours, topic, notes in MAILS:
        received = now - timedelta(hours=hours)
        inquiry = Inquiry.objects.create(
            municipality=municipality,
            channel=Inquiry.Channel.EMAIL,
            location=location,
            topic=topics.get(topic),
            sender=sender,
            sender_name=name,
            subject=subject,
            received_at=received,
            last_received_at=received,
            has_cpr_number=contains_cpr_number(text),
        )
        InquiryMessage.objects.create(
            inquiry=inquiry,
            direction=InquiryMessage.Direction.IN,
            at=received,
            text=text,
            notes=notes,
            message_id=f"<demo-{inquiry.pk}@example.dk>",
        )
    booking = (
        Booking.objects.filter(location=location, start__gte=now, sms_consent=True)
        .order_by("start")
        .first()
    )
    if booking is not None:
        received = now - timedelta(minutes=25)
        text = "Kan min mand komme med ind til aftalen? Han taler bedre dansk end mig."
        texted = Inquiry.objects.create(
            municipality=municipality,
            channel=Inquiry.Channel.SMS,
            location=location,
            sender=booking.phone,
            sender_name=booking.name,
            subject=first_words(text=text),
            received_at=received,
            last_received_at=received,
            booking=booking,
        )
        InquiryMessage.objects.create(
            inquiry=texted,
            direction=InquiryMessage.Direction.IN,
            at=received,
            text=text,
        )
    for position, (name, address) in enumerate(DEPARTMENTS):
        Department.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"email": address, "position": position},
        )
    for position, (name, language, text) in enumerate(TEMPLATES):
        AnswerTemplate.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"language": language, "text": text, "position": position},
        )
    return Inquiry.objects.filter(municipality=municipality).count()
