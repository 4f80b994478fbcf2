"""The written inquiries' pages: the worklist, one inquiry with its thread,
and one view for what is done with it (take it, let it go, settle it,
forward it). Each action is a POST that calls one domain function
(handling.py) and comes back; a refusal shows as an alert."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from skranke.access_log.recording import Action, build_records, record_access, save_records
from skranke.accounts.models import User
from skranke.accounts.permissions import may_answer_inquiries
from skranke.contact_centre.contact_log import topics_for
from skranke.contact_centre.models import Contact
from skranke.core import clock
from skranke.core.errors import DomainError
from skranke.inquiries.handling import (
    FORWARD_OUTCOMES,
    answer_inquiry,
    claim_inquiry,
    forward_inquiry,
    release_inquiry,
    settle_inquiry,
)
from skranke.inquiries.mail_reading import MailNote
from skranke.inquiries.models import AnswerTemplate, Department, Inquiry
from skranke.inquiries.worklist import inquiries_for, read_inquiry_worklist
from skranke.web.posted_ids import read_posted_id


def _worker(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_answer_inquiries(user=user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    user = _worker(request)
    items = read_inquiry_worklist(staff=user, now=clock.now())
    # The list names who wrote and about what: each citizen's inquiry seen,
    # once a day, in one INSERT.
    save_records(
        records=[
            record
            for item in items
            for record in build_records(
                actor=user, action=Action.VIEWED_INQUIRY, inquiry=item.inquiry
            )
        ],
        once_a_day=True,
    )
    return render(request, "inquiries/worklist.html", {"items": items})


@login_required
@require_GET
def inquiry_page(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = _worker(request)
    inquiry = (
        inquiries_for(staff=user)
        .select_related("location", "topic", "claimed_by", "booking", "mailbox")
        .filter(pk=inquiry_id)
        .first()
    )
    if inquiry is None:
        raise Http404
    thread = [
        (message, [NOTE_TEXTS[note] for note in message.notes.split(",") if note in NOTE_TEXTS])
        for message in inquiry.messages.prefetch_related("attachments").select_related("staff")
    ]
    record_access(actor=user, action=Action.VIEWED_INQUIRY, inquiry=inquiry)
    templates = AnswerTemplate.objects.filter(municipality=inquiry.municipality_id)
    chosen = templates.filter(pk=read_posted_id(request.GET.get("skabelon"))).first()
    return render(
        request,
        "inquiries/inquiry.html",
        {
            "inquiry": inquiry,
            "thread": thread,
            "topics": topics_for(agent=user),
            "templates": templates,
            "departments": Department.objects.filter(municipality=inquiry.municipality_id),
            "chosen": chosen,
            "answer": request.session.pop(_draft_key(inquiry_id), None)
            or (chosen.text if chosen else ""),
            "kinds": Contact.Kind.choices,
            "forward_outcomes": [
                (value, label)
                for value, label in Contact.Outcome.choices
                if value in FORWARD_OUTCOMES
            ],
            "mine": inquiry.claimed_by_id == user.pk,
            "open": inquiry.status == Inquiry.Status.OPEN,
        },
    )


@login_required
@require_POST
def inquiry_action(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = _worker(request)
    action = request.POST.get("action", "")
    topic_id = read_posted_id(request.POST.get("topic")) or None
    kind = request.POST.get("kind", "")[:20]
    try:
        if action == "answer":
            answer = answer_inquiry(
                staff=user,
                inquiry_id=inquiry_id,
                text=request.POST.get("answer", "")[:10_000],
                topic_id=topic_id,
                kind=kind,
            )
            record_access(actor=user, action=Action.ANSWERED_INQUIRY, inquiry=answer.inquiry)
            messages.success(request, _("The answer is on its way, and the contact is logged."))
            return redirect("inquiries:worklist")
        if action == "claim":
            claim_inquiry(staff=user, inquiry_id=inquiry_id)
            messages.success(request, _("You have taken the inquiry."))
        elif action == "release":
            release_inquiry(staff=user, inquiry_id=inquiry_id)
            messages.success(request, _("The inquiry is back on the list for anyone."))
        elif action == "settle":
            settle_inquiry(staff=user, inquiry_id=inquiry_id, topic_id=topic_id, kind=kind)
            messages.success(request, _("Settled without an answer, and logged."))
            return redirect("inquiries:worklist")
        elif action == "forward":
            forward_inquiry(
                staff=user,
                inquiry_id=inquiry_id,
                topic_id=topic_id,
                outcome=request.POST.get("outcome", "")[:20],
                kind=kind,
                department_id=read_posted_id(request.POST.get("department")) or None,
                note=request.POST.get("note", "")[:10_000],
            )
            messages.success(request, _("Forwarded, and logged."))
            return redirect("inquiries:worklist")
        else:
            messages.error(request, _("Choose what to do with the inquiry."))
    except DomainError as refused:
        messages.error(request, str(refused.message))
        if action == "answer":
            # Nothing typed is lost: the answer comes back in its box.
            request.session[_draft_key(inquiry_id)] = request.POST.get("answer", "")[:10_000]
    return redirect("inquiries:inquiry", inquiry_id=inquiry_id)


def _draft_key(inquiry_id: int) -> str:
    return f"inquiry-answer-{inquiry_id}"


NOTE_TEXTS: dict[str, Promise] = {
    MailNote.TEXT_CUT: gettext_lazy(
        "The mail was longer than Skranke keeps: only its beginning is here."
    ),
    MailNote.ATTACHMENTS_ONLY: gettext_lazy("The mail has no text, only files."),
    MailNote.UNKNOWN_ENCODING: gettext_lazy(
        "The mail was written in a character set Skranke does not know: some letters may be wrong."
    ),
    MailNote.HTML_ONLY: gettext_lazy("The mail came as a web page: here is its text."),
    MailNote.MALFORMED: gettext_lazy("The mail was not well formed: here is what could be read."),
    MailNote.EMPTY: gettext_lazy("The mail was empty."),
}
