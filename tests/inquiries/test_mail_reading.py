"""A citizen's e-mail, as IMAP gives it, read into what the worklist shows:
who wrote and where an answer goes, the thread, the subject and the words
with their Danish letters intact, the files that came along, and whether a
machine sent it. Mail as mail programs really write it (HTML only, a
charset that lies or is unknown, broken base64, a path in a file name,
missing headers) and bytes that are no mail at all are read as far as
they can be, and the notes say what could not; reading never fails.

Mails are built with EmailMessage where it writes them as a mail program
would, and by hand where a mail must be broken."""

import email
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skranke.inquiries.html_text import reduce_html_to_text
from skranke.inquiries.mail_reading import MailNote, ReadMail, read_mail

pytestmark = pytest.mark.computation

OWN = "borgerservice@kommune.dk"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def read(mail: EmailMessage | bytes, **options: int) -> ReadMail:
    raw = mail if isinstance(mail, bytes) else mail.as_bytes()
    return read_mail(raw=raw, own_addresses=frozenset({OWN}), **options)


def citizens_mail(
    text: str = "Hej\n\nHvordan får jeg et nyt pas?\n\nJens", **headers: str
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Jens Hansen <jens@example.dk>"
    mail["To"] = OWN
    mail["Subject"] = "Mit pas er udløbet"
    mail["Date"] = "Mon, 03 Feb 2025 10:15:00 +0100"
    mail["Message-ID"] = "<CAK1@mail.example.dk>"
    for name, value in headers.items():
        del mail[name.replace("_", "-")]
        mail[name.replace("_", "-")] = value
    mail.set_content(text)
    return mail


# The citizen's words and who wrote them.


def test_a_plain_mail_in_utf8_is_read_whole() -> None:
    mail = citizens_mail(
        "Kære Borgerservice\n\nJeg har mistet mit sundhedskort på Ærø.\n\nMvh. Søren",
        From="Søren Østergård <Soren.Ostergaard@Example.DK>",
        Cc="Bo <bo@example.dk>",
    )

    read_back = read(mail)

    assert read_back.sender == "soren.ostergaard@example.dk"
    assert read_back.sender_name == "Søren Østergård"
    assert read_back.recipients == (OWN, "bo@example.dk")
    assert read_back.subject == "Mit pas er udløbet"
    assert read_back.message_id == "<CAK1@mail.example.dk>"
    assert read_back.sent_at == datetime(2025, 2, 3, 9, 15, tzinfo=UTC)
    assert read_back.text == (
        "Kære Borgerservice\n\nJeg har mistet mit sundhedskort på Ærø.\n\nMvh. Søren"
    )
    assert read_back.notes == ()
    assert read_back.attachments == ()
    assert not read_back.automatic
    assert read_back.automatic_reason == ""


def test_a_mail_in_iso_8859_1_keeps_its_danish_letters() -> None:
    built = citizens_mail()
    built.set_content("Kære kommune, æøå ÆØÅ", charset="iso-8859-1", cte="quoted-printable")
    by_hand = (
        b"From: jens@example.dk\r\nTo: borgerservice@kommune.dk\r\nSubject: Flytning\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nK\xe6re kommune, \xe6\xf8\xe5 \xc6\xd8\xc5\r\n"
    )

    assert read(built).text == "Kære kommune, æøå ÆØÅ"
    assert read(by_hand).text == "Kære kommune, æøå ÆØÅ"
    assert read(by_hand).notes == ()


@pytest.mark.parametrize(
    ("header", "subject"),
    [
        (b"=?iso-8859-1?q?S=F8gning_om_b=F8rnetilskud?=", "Søgning om børnetilskud"),
        # Split over two encoded words and a folded line, as mail programs do.
        (b"=?utf-8?b?S8O4cmVrb3J0?=\r\n =?utf-8?q?_til_=C3=86r=C3=B8?=", "Kørekort til Ærø"),
        # RFC 6532: UTF-8 written straight into the header.
        ("Kørekort til Ærø".encode(), "Kørekort til Ærø"),
        # An old program's Windows-1252, unlabelled.
        (b"K\xf8rekort til \xc6r\xf8", "Kørekort til Ærø"),
    ],
)
def test_a_danish_subject_is_decoded(header: bytes, subject: str) -> None:
    raw = b"From: jens@example.dk\r\nSubject: " + header + b"\r\n\r\nHej\r\n"

    assert read(raw).subject == subject


def test_a_subject_is_one_line_of_at_most_300_characters() -> None:
    mail = citizens_mail(Subject="Pas\tog   kørekort " + "meget " * 100)

    subject = read(mail).subject

    assert subject.startswith("Pas og kørekort meget meget")
    assert len(subject) == 300
    assert subject.endswith("…")


def test_an_html_only_mail_is_read_as_its_text() -> None:
    mail = citizens_mail()
    mail.set_content(
        "<html><head><title>Besked</title><style>p { color: red }</style></head><body>"
        "<p>Hej Borgerservice,</p><p>Se <a href='https://kk.dk/pas'>jeres side om pas</a>"
        "<br>og skriv til <a href='mailto:jens@example.dk'>jens@example.dk</a>.</p>"
        "<script>alert('hej')</script></body></html>",
        subtype="html",
    )

    read_back = read(mail)

    assert read_back.text == (
        "Hej Borgerservice,\n\nSe jeres side om pas (https://kk.dk/pas)\n"
        "og skriv til jens@example.dk."
    )
    assert read_back.notes == (MailNote.HTML_ONLY,)


def test_multipart_alternative_gives_the_plain_version() -> None:
    mail = citizens_mail("Plain: mit pas er udløbet")
    mail.add_alternative("<p>HTML: mit pas er <b>udløbet</b></p>", subtype="html")

    read_back = read(mail)

    assert read_back.text == "Plain: mit pas er udløbet"
    assert read_back.notes == ()


def test_an_empty_plain_version_gives_way_to_the_html_one() -> None:
    mail = citizens_mail("\n")
    mail.add_alternative("<p>Kun i HTML</p>", subtype="html")

    read_back = read(mail)

    assert read_back.text == "Kun i HTML"
    assert read_back.notes == (MailNote.HTML_ONLY,)


def test_text_around_an_attachment_is_read_in_order() -> None:
    raw = (
        b"From: jens@example.dk\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nF\xc3\xb8r billedet\r\n"
        b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n"
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nEfter billedet\r\n--b--\r\n"
    )

    read_back = read(raw)

    assert read_back.text == "Før billedet\n\nEfter billedet"
    assert [(found.filename, found.content_type) for found in read_back.attachments] == [
        ("attachment-1.png", "image/png")
    ]


# Files.


def test_a_mail_with_only_a_pdf_lists_it() -> None:
    mail = EmailMessage()
    mail["From"] = "jens@example.dk"
    mail["Subject"] = "Ansøgning"
    mail.add_attachment(PDF, maintype="application", subtype="pdf", filename="ansøgning.pdf")

    read_back = read(mail)

    assert read_back.text == ""
    assert read_back.notes == (MailNote.ATTACHMENTS_ONLY,)
    [attachment] = read_back.attachments
    assert attachment.filename == "ansøgning.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.content == PDF


def test_file_names_are_decoded_and_never_a_path() -> None:
    raw = (
        b"From: jens@example.dk\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nSe vedh\xc3\xa6ftede\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment;\r\n"
        b" filename*=utf-8''%C3%A6bler%20og%20p%C3%A6rer.pdf\r\n\r\n%PDF\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="C:\\\\Users\\\\jens\\\\brev.pdf"\r\n'
        b"\r\n%PDF\r\n"
        b"--b\r\nContent-Type: text/plain\r\n"
        b'Content-Disposition: attachment; filename="../../etc/passwd"\r\n\r\nroot\r\n'
        b"--b\r\nContent-Type: image/jpeg\r\n"
        b'Content-Disposition: attachment; filename="=?utf-8?q?k=C3=B8rekort.jpg?="\r\n\r\nx\r\n'
        b"--b\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename=".."\r\n\r\n%PDF\r\n'
        b"--b--\r\n"
    )

    read_back = read(raw)

    assert read_back.text == "Se vedhæftede"
    assert [found.filename for found in read_back.attachments] == [
        "æbler og pærer.pdf",
        "brev.pdf",
        "passwd",
        "kørekort.jpg",
        "attachment-5.pdf",
    ]


def test_winmail_dat_is_listed_beside_the_text() -> None:
    mail = citizens_mail("Hej, se vedhæftede.")
    mail.add_attachment(
        b"\x78\x9f\x3e\x22" + bytes(60),
        maintype="application",
        subtype="ms-tnef",
        filename="winmail.dat",
    )

    read_back = read(mail)

    assert read_back.text == "Hej, se vedhæftede."
    [attachment] = read_back.attachments
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "winmail.dat",
        "application/ms-tnef",
        64,
    )


def test_a_forwarded_mail_is_kept_whole_as_a_file() -> None:
    forwarded = EmailMessage()
    forwarded["From"] = "Skattestyrelsen <noreply@skat.dk>"
    forwarded["Subject"] = "Din årsopgørelse"
    forwarded.set_content("Kære borger, din årsopgørelse er klar.")
    mail = citizens_mail("Jeg forstår ikke det her brev.")
    mail.add_attachment(forwarded)

    read_back = read(mail)

    assert read_back.text == "Jeg forstår ikke det her brev."
    [attachment] = read_back.attachments
    assert attachment.filename == "attachment-1.eml"
    assert attachment.content_type == "message/rfc822"
    opened = email.message_from_bytes(attachment.content, policy=policy.default)
    assert opened["Subject"] == "Din årsopgørelse"
    assert "din årsopgørelse er klar" in opened.get_content()


def test_mails_forwarded_within_each_other_are_read_without_failing() -> None:
    inner = b"From: a@example.dk\r\nSubject: Inderst\r\n\r\nInderst inde\r\n"
    for _ in range(200):
        inner = b"From: a@example.dk\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    raw = (
        b"From: jens@example.dk\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nVideresendt\r\n"
        b"--b\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--b--\r\n"
    )

    read_back = read(raw)

    assert read_back.text == "Videresendt"
    assert [found.content_type for found in read_back.attachments] == ["message/rfc822"]
    assert b"Inderst inde" in read_back.attachments[0].content


def test_parts_nested_deeper_than_any_mail_program_writes_leave_the_headers() -> None:
    nesting = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (depth, depth)
        for depth in range(2000)
    )
    raw = b"From: jens@example.dk\r\nSubject: Dybt\r\n" + nesting + b"\r\nHej\r\n"

    read_back = read(raw)

    assert (read_back.sender, read_back.subject, read_back.text) == ("jens@example.dk", "Dybt", "")
    assert MailNote.MALFORMED in read_back.notes


# Charsets that are unknown or lie.


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("Kære kommune".encode(), "Kære kommune"),
        ("Kære kommune".encode("cp1252"), "Kære kommune"),
    ],
)
def test_an_unknown_charset_is_guessed_and_said_so(body: bytes, text: str) -> None:
    raw = (
        b"From: jens@example.dk\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n"
        + body
        + b"\r\n"
    )

    read_back = read(raw)

    assert read_back.text == text
    assert read_back.notes == (MailNote.UNKNOWN_ENCODING,)


def test_utf8_that_says_it_is_latin_1_is_read_as_utf8() -> None:
    raw = (
        b"From: jens@example.dk\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"
        + "Kære kommune, mit cpr-kort".encode()
    )

    read_back = read(raw)

    assert read_back.text == "Kære kommune, mit cpr-kort"
    assert read_back.notes == ()


def test_latin_1_that_says_it_is_utf8_is_read_and_said_so() -> None:
    raw = (
        b"From: jens@example.dk\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Kære kommune, på Ærø".encode("iso-8859-1")
    )

    read_back = read(raw)

    assert read_back.text == "Kære kommune, på Ærø"
    assert read_back.notes == (MailNote.UNKNOWN_ENCODING,)


def test_a_charset_that_is_no_text_encoding_is_guessed() -> None:
    raw = b"From: jens@example.dk\r\nContent-Type: text/plain; charset=zlib\r\n\r\nHej med dig\r\n"

    read_back = read(raw)

    assert read_back.text == "Hej med dig"
    assert read_back.notes == (MailNote.UNKNOWN_ENCODING,)


# Broken mail.


def test_broken_base64_gives_what_could_be_read() -> None:
    raw = (
        b"From: jens@example.dk\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"SGVqIG1lZCBkaWc*!\r\n"
        b"--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="brev.pdf"\r\n\r\nJVBERi0x=\r\n--b--\r\n'
    )

    read_back = read(raw)

    assert read_back.text == "Hej med dig"
    assert [found.filename for found in read_back.attachments] == ["brev.pdf"]
    assert read_back.notes == (MailNote.MALFORMED,)


def test_a_mail_without_from_date_or_message_id_is_still_read() -> None:
    raw = "Subject: Hjælp\r\nDate: i går ved middagstid\r\n\r\nHvornår har I åbent?\r\n".encode()

    read_back = read(raw)

    assert (read_back.sender, read_back.sender_name, read_back.message_id) == ("", "", "")
    assert read_back.sent_at is None
    assert read_back.text == "Hvornår har I åbent?"
    assert read_back.subject == "Hjælp"


def test_a_from_header_the_strict_parser_gives_up_on_is_still_read() -> None:
    raw = b"From: Jens Hansen <jens@example.dk>, :\r\nSubject: Pas\r\n\r\nHej\r\n"

    read_back = read(raw)

    assert read_back.sender == "jens@example.dk"
    assert read_back.text == "Hej"
    assert read_back.notes == (MailNote.MALFORMED,)


def test_a_content_type_the_strict_parser_gives_up_on_is_still_read() -> None:
    raw = b"From: jens@example.dk\r\nContent-Type: ;\x00;a*\r\n\r\nHej med dig\r\n"

    read_back = read(raw)

    assert read_back.text == "Hej med dig"
    assert MailNote.MALFORMED in read_back.notes


def test_a_part_the_strict_parser_gives_up_on_is_still_read() -> None:
    raw = (
        b"From: jens@example.dk\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nSe brevet\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*\r\n\r\n%PDF\r\n--b--\r\n"
    )

    read_back = read(raw)

    assert read_back.text == "Se brevet"
    assert [(found.filename, found.content) for found in read_back.attachments] == [
        ("attachment-1.pdf", b"%PDF")
    ]
    assert read_back.notes == (MailNote.MALFORMED,)


def test_a_message_id_without_angle_brackets_still_names_the_mail() -> None:
    raw = b"From: jens@example.dk\r\nMessage-ID: 1234.5678@example.dk\r\n\r\nHej\r\n"

    assert read(raw).message_id == "<1234.5678@example.dk>"


def test_bytes_that_are_no_mail_are_read_without_failing() -> None:
    read_back = read(b"\x00\xff\xfe\x00\x01\x02 PK\x03\x04 \x80\x81\xc3\x28")

    assert MailNote.MALFORMED in read_back.notes
    assert "\x00" not in read_back.text
    assert read_back.sender == ""


def test_a_mail_that_is_only_headers_is_empty() -> None:
    read_back = read(b"From: Jens <jens@example.dk>\r\nSubject: Ring mig op\r\n")

    assert (read_back.sender, read_back.subject) == ("jens@example.dk", "Ring mig op")
    assert read_back.text == ""
    assert read_back.notes == (MailNote.EMPTY,)


def test_nothing_at_all_is_an_empty_mail() -> None:
    assert read(b"").notes == (MailNote.EMPTY,)


def test_a_5_mb_text_is_cut_on_a_line_break_at_the_cap() -> None:
    line = "Jeg skriver igen om mit pas, som stadig ikke er kommet. Æøå.\n"
    mail = citizens_mail(line * (5_000_000 // len(line)))

    read_back = read(mail, max_text_chars=100_000)

    assert len(read_back.text) <= 100_000
    assert len(read_back.text) > 99_000
    assert read_back.text.endswith("Æøå.")
    assert read_back.notes == (MailNote.TEXT_CUT,)


def test_a_5_mb_html_mail_is_cut_too() -> None:
    paragraph = "<p>Jeg skriver igen om mit pas, som stadig ikke er kommet.</p>\n"
    mail = citizens_mail()
    mail.set_content(paragraph * (5_000_000 // len(paragraph)), subtype="html")

    read_back = read(mail, max_text_chars=10_000)

    assert len(read_back.text) <= 10_000
    assert read_back.text.endswith("kommet.")
    assert read_back.notes == (MailNote.TEXT_CUT, MailNote.HTML_ONLY)


def test_control_characters_never_reach_the_text() -> None:
    raw = (
        b"From: jens@example.dk\r\nSubject: Hej\x00med\x07dig\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nHej\x00 med\x1b dig\r\nLinje 2\r\n"
    )

    read_back = read(raw)

    assert read_back.text == "Hej med dig\nLinje 2"
    assert read_back.subject == "Hej med dig"


# Threads and addresses.


def test_references_give_the_thread_in_order() -> None:
    mail = citizens_mail(
        References="<first@example.dk> <answer@skranke.kommune.dk> <second@example.dk>",
        In_Reply_To="<second@example.dk>",
    )

    read_back = read(mail)

    assert read_back.in_reply_to == "<second@example.dk>"
    assert read_back.references == (
        "<first@example.dk>",
        "<answer@skranke.kommune.dk>",
        "<second@example.dk>",
    )


def test_in_reply_to_joins_the_references_it_is_missing_from() -> None:
    only_in_reply_to = citizens_mail(In_Reply_To="<answer@skranke.kommune.dk> (our answer)")
    both = citizens_mail(References="<first@example.dk>", In_Reply_To="<answer@skranke.kommune.dk>")

    assert read(only_in_reply_to).references == ("<answer@skranke.kommune.dk>",)
    assert read(only_in_reply_to).in_reply_to == "<answer@skranke.kommune.dk>"
    assert read(both).references == ("<first@example.dk>", "<answer@skranke.kommune.dk>")


def test_a_long_thread_keeps_its_first_mail_and_its_latest() -> None:
    ids = [f"<mail-{number}@example.dk>" for number in range(150)]
    raw = (
        b"From: jens@example.dk\r\nReferences: "
        + "\r\n ".join(ids).encode()
        + b"\r\nIn-Reply-To: <mail-149@example.dk>\r\n\r\nHej\r\n"
    )

    read_back = read(raw)

    assert read_back.references == (ids[0], *ids[-99:])
    assert read_back.in_reply_to == "<mail-149@example.dk>"


def test_answers_go_to_reply_to() -> None:
    form = citizens_mail(
        From="Kontaktformular <noreply@kommune.dk>", Reply_To="Jens.Hansen@Example.dk"
    )
    named = citizens_mail(Reply_To="Jens H. <jens.privat@example.dk>")
    same = citizens_mail(Reply_To="jens@example.dk")

    assert (read(form).sender, read(form).sender_name) == ("jens.hansen@example.dk", "")
    assert (read(named).sender, read(named).sender_name) == ("jens.privat@example.dk", "Jens H.")
    assert (read(same).sender, read(same).sender_name) == ("jens@example.dk", "Jens Hansen")


def test_recipients_are_every_address_written_to_once() -> None:
    raw = (
        b"From: jens@example.dk\r\nTo: Borgerservice <Borgerservice@Kommune.dk>, pas@kommune.dk\r\n"
        b"Cc: bo@example.dk, borgerservice@kommune.dk\r\n"
        b"Delivered-To: borgerservice+pas@kommune.dk\r\nX-Original-To: PAS@kommune.dk\r\n"
        b"\r\nHej\r\n"
    )

    assert read(raw).recipients == (
        "borgerservice@kommune.dk",
        "pas@kommune.dk",
        "bo@example.dk",
        "borgerservice+pas@kommune.dk",
    )


# Mail that a machine sent.


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied (vacation)"}, "auto-submitted"),
        ({"Auto-Submitted": "auto-generated"}, "auto-submitted"),
        ({"Precedence": "bulk"}, "precedence"),
        ({"Precedence": "junk"}, "precedence"),
        ({"Precedence": "list"}, "precedence"),
        ({"Precedence": "auto_reply"}, "precedence"),
        ({"X-Autoreply": "yes"}, "autoreply-header"),
        ({"X-Autorespond": "Jeg er på ferie"}, "autoreply-header"),
        ({"List-Id": "<nyhedsbrev.kommune.dk>"}, "list"),
        ({"List-Unsubscribe": "<mailto:afmeld@example.dk>"}, "list"),
        ({"From": "MAILER-DAEMON@mx.example.dk"}, "mailer-daemon"),
        ({"From": "Postmaster <postmaster@example.dk>"}, "mailer-daemon"),
        ({"Return-Path": "<>"}, "mailer-daemon"),
        ({"From": "Borgerservice <Borgerservice@Kommune.dk>"}, "own-address"),
        ({"Reply-To": OWN}, "own-address"),
        ({"Return-Path": f"<{OWN}>"}, "own-address"),
        ({"X-Skranke-Inquiry": "1234"}, "own-address"),
    ],
)
def test_mail_a_machine_sent_is_never_answered_automatically(
    headers: dict[str, str], reason: str
) -> None:
    read_back = read(citizens_mail(**{name.replace("-", "_"): v for name, v in headers.items()}))

    assert read_back.automatic
    assert read_back.automatic_reason == reason


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "no"},
        {"Precedence": "first-class"},
        # Exchange's request not to be auto-replied to, on an ordinary mail.
        {"X-Auto-Response-Suppress": "All"},
        {"X-Auto-Response-Suppress": "OOF, AutoReply"},
        {"Return-Path": "<jens@example.dk>"},
    ],
)
def test_a_person_s_mail_is_not_automatic(headers: dict[str, str]) -> None:
    read_back = read(citizens_mail(**{name.replace("-", "_"): v for name, v in headers.items()}))

    assert not read_back.automatic
    assert read_back.automatic_reason == ""


def test_a_delivery_report_is_automatic_and_returns_our_mail_as_a_file() -> None:
    raw = (
        b"From: Mail Delivery System <mailer-daemon@mx.example.dk>\r\n"
        b"To: borgerservice@kommune.dk\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.dk\r\n\r\n"
        b"Final-Recipient: rfc822; jens@example.dk\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--r\r\nContent-Type: message/rfc822\r\n\r\n"
        b"From: borgerservice@kommune.dk\r\nSubject: Svar\r\n\r\nVores svar\r\n--r--\r\n"
    )

    read_back = read(raw)

    assert (read_back.automatic, read_back.automatic_reason) == (True, "delivery-report")
    assert read_back.text == "Your message could not be delivered."
    assert [found.filename for found in read_back.attachments] == [
        "attachment-1.txt",
        "attachment-2.eml",
    ]
    assert b"Status: 5.1.1" in read_back.attachments[0].content


# Whatever comes, reading does not fail.

FRAGMENTS = [
    b"From: jens@example.dk\r\n",
    b"From: =?utf-8?q?S=C3=B8ren?= <soren@\r\n",
    b"To: undisclosed-recipients:;\r\n",
    b"Cc: \xe6@\xf8.dk, :\r\n",
    b"Reply-To: ,b=?utf-8?q?b@[\t\r\n",
    b"Subject: =?x-unknown?q?=E6?= \xff\r\n",
    b"Date: Mon, 99 Feb 99999 99:99:99 +9999\r\n",
    b"Message-ID: <\r\n",
    b"References: <a@b> (x <c@d>\r\n",
    b'Content-Type: multipart/mixed; boundary="XX"\r\n',
    b'Content-Type: multipart/alternative; boundary="YY"\r\n',
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=XX\r\n",
    b"Content-Type: text/plain; charset=utf-8\r\n",
    b"Content-Type: text/plain; charset=utf-16\r\n",
    b'Content-Type: text/plain; charset="\r\n',
    b"Content-Type: text/html\r\n",
    b"Content-Type: message/rfc822\r\n",
    b"Content-Type: message/delivery-status\r\n",
    b"Content-Type: ;\x00;a*\r\n",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n",
    b"Content-Transfer-Encoding: x-uuencode\r\n",
    b"Content-Disposition: attachment; filename*=x-unknown''%E6bler.pdf\r\n",
    b" folded\r\n",
    b"\r\n",
    b"--XX\r\n",
    b"--XX--\r\n",
    b"--YY\r\n",
    b"aGVq\r\n",
    b"=C3=A6=\r\n",
    b"\xff\x00\xc3\xd8\r\n",
    b"begin 644 a\r\n",
    b"<p>hej<![ x]><a href='https://kk.dk'>l</a><script>\r\n",
]


def assert_storable(read_back: ReadMail) -> None:
    """What the models keep fits them: no NUL (PostgreSQL refuses it), only
    text that is UTF-8, and no longer than their fields."""
    for text in (
        read_back.text,
        read_back.subject,
        read_back.sender,
        read_back.sender_name,
        read_back.message_id,
        *read_back.recipients,
        *read_back.references,
        *(found.filename for found in read_back.attachments),
        *(found.content_type for found in read_back.attachments),
    ):
        assert "\x00" not in text
        text.encode("utf-8")
    assert len(read_back.subject) <= 300
    assert len(read_back.sender_name) <= 200
    assert len(read_back.sender) <= 254
    assert len(read_back.message_id) <= 998
    assert all(len(found.filename) <= 255 for found in read_back.attachments)
    assert all(len(found.content_type) <= 100 for found in read_back.attachments)
    assert all(found.size == len(found.content) for found in read_back.attachments)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=2_000))
def test_any_bytes_are_read_without_failing(raw: bytes) -> None:
    assert_storable(read(raw))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments=st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_mail_made_of_broken_pieces_is_read_without_failing(fragments: list[bytes]) -> None:
    assert_storable(read(b"".join(fragments), max_text_chars=500))


# HTML reduced to text.


def test_html_keeps_the_words_and_nothing_of_the_markup() -> None:
    text = reduce_html_to_text(
        html=(
            "<!DOCTYPE html><html><head><title>Titel</title><meta charset='utf-8'>"
            "<style>p { color: red }</style></head><body>"
            "<!-- en kommentar --><h1>Overskrift</h1><div>Linje et</div><div>Linje to</div>"
            "<ul><li>Pas</li><li>Kørekort</li></ul>"
            "<table><tr><td>Navn:</td><td>Jens</td></tr><tr><td>Tlf.:</td><td>20 30 40 50</td>"
            "</tr></table><template><p>skabelon</p></template>"
            "<p>Pris &lt; 100&nbsp;kr. &amp; &eacute;n &#216;re</p>"
            "<script>document.write('<b>nej</b>')</script></body></html>"
        )
    )

    assert text == (
        "Overskrift\n\nLinje et\nLinje to\n\n- Pas\n- Kørekort\n\n"
        "Navn: Jens\nTlf.: 20 30 40 50\n\nPris < 100 kr. & én Øre"
    )


def test_a_link_keeps_its_address_beside_its_label() -> None:
    text = reduce_html_to_text(
        html=(
            "<a href='https://kk.dk/pas'>Bestil pas</a> "
            "<a href='https://kk.dk'>https://kk.dk</a> "
            "<a href='mailto:jens@example.dk'>jens@example.dk</a> "
            "<a href='mailto:jens@example.dk'>Skriv til mig</a> "
            "<a href='javascript:alert(1)'>Klik</a> <a href='https://spor.example'><img></a>"
        )
    )

    assert text == (
        "Bestil pas (https://kk.dk/pas) https://kk.dk jens@example.dk "
        "Skriv til mig (mailto:jens@example.dk) Klik"
    )


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # Outlook's conditional sections, which the standard library's parser
        # gives up on when it does not know the keyword.
        ("<p><![if !supportLists]>1.<![endif]>Punkt<![ ukendt ]>et</p>", "1.Punktet"),
        ("<p>Ikke lukket <b>fed <div class='x'", "Ikke lukket fed"),
        ("<p>Tekst<!-- aldrig lukket", "Tekst"),
        ("Før<script>aldrig lukket", "Før"),
        ("<head><meta name=x><body>Krop uden lukket head", "Krop uden lukket head"),
        ("<head><title>Titel</title>Tekst uden body", "Tekst uden body"),
        ("</p></div></b>Løse sluttags<br/><p/>", "Løse sluttags"),
        ("<<<>>> a < b", "<<<>>> a < b"),
    ],
)
def test_broken_html_gives_what_can_be_read(html: str, text: str) -> None:
    assert reduce_html_to_text(html=html) == text


@settings(max_examples=300, deadline=None)
@given(
    html=st.lists(
        st.sampled_from(
            ["<", ">", "</", "<!", "<![", "<!--", "-->", "<?", "a", "p", "script", "if", "[",
             "]", "]]>", '"', "'", "=", " ", "&", "&amp;", "&#", "x;", "\x00", "é", "/",
             "<br/>", "<a href='https://x.dk'>", "</a>", "\n", "<head>", "<pre>", "<td>"]
        ),
        max_size=60,
    ).map("".join)
)  # fmt: skip
def test_html_never_fails_to_be_read(html: str) -> None:
    text = reduce_html_to_text(html=html)

    assert "\x00" not in text
    # No tag of the HTML is left in the text. (A "<" may be: "a < b" is
    # text, and so is "<</>script" as a browser reads it.)
    for tag in ("<a href='https://x.dk'>", "<br/>", "<head>", "<pre>", "<td>"):
        assert tag not in text
