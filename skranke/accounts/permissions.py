"""What each role may do with the configuration, model by model.

Roles, not Django's per-user permission rows, decide this: a municipality's
administrator cannot hand out more than their own role allows, and a review
of who may do what is this one table.
"""

from django.core.exceptions import PermissionDenied

from skranke.accounts.models import CONFIGURING_ROLES, Role, User

ALL = frozenset({"view", "add", "change", "delete"})
VIEW = frozenset({"view"})

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.ADMINISTRATOR: {
        "core.municipality": frozenset({"view", "change"}),
        "core.location": ALL,
        "core.openinghours": ALL,
        "core.specialday": ALL,
        "core.specialdayhours": ALL,
        "core.service": ALL,
        "core.desk": ALL,
        "core.deskshift": ALL,
        "accounts.user": ALL,
        "accounts.device": ALL,
        "accounts.integrationtoken": ALL,
        "accounts.signinsettings": frozenset({"view", "add", "change"}),
        "accounts.singlesignon": ALL,
        "accounts.citizensignin": ALL,
        "accounts.staffidentity": ALL,
        "notifications.messagetext": ALL,
        "contact.callrecordformat": ALL,
        "contact.topicgroup": ALL,
        "contact.topic": ALL,
        "contact.kpitargets": ALL,
        "inquiries.mailbox": ALL,
        "inquiries.mailroute": ALL,
        "inquiries.answertemplate": ALL,
        "inquiries.department": ALL,
        "stats.yearfigures": ALL,
        "stats.chaptertext": ALL,
        "planning.forecastevent": ALL,
        "planning.minuteschange": VIEW,
        "planning.shiftpattern": ALL,
        "planning.rotasettings": ALL,
        "privacy.retentionsettings": ALL,
        "privacy.erasurerequest": VIEW,
        "queueing.visit": frozenset({"view", "change"}),
    },
    Role.MANAGER: {
        "core.municipality": VIEW,
        "core.location": frozenset({"view", "change"}),
        "core.openinghours": ALL,
        "core.specialday": ALL,
        "core.specialdayhours": ALL,
        # A manager plans the centre's time: minutes and booking timing of
        # each service (ServiceAdmin keeps the rest read-only for them).
        "core.service": frozenset({"view", "change"}),
        "core.desk": ALL,
        "core.deskshift": ALL,
        "accounts.device": ALL,
        "accounts.signinsettings": VIEW,
        "notifications.messagetext": ALL,
        "contact.callrecordformat": frozenset({"view", "change"}),
        "contact.topicgroup": VIEW,
        "contact.topic": ALL,
        "contact.kpitargets": frozenset({"view", "change"}),
        # Which address's mail goes to which place; the mailbox's sign-in
        # is the administrator's.
        "inquiries.mailbox": VIEW,
        "inquiries.mailroute": ALL,
        "inquiries.answertemplate": ALL,
        "inquiries.department": ALL,
        # A manager writes the annual report and enters its outside figures.
        "stats.yearfigures": ALL,
        "stats.chaptertext": ALL,
        # Events that lift the forecast; the record of minutes changed.
        "planning.forecastevent": ALL,
        "planning.minuteschange": VIEW,
        # The shift patterns the rota is made of, and what an hour costs.
        "planning.shiftpattern": ALL,
        "planning.rotasettings": ALL,
        # How long citizens' data is kept is the administrator's to set.
        "privacy.retentionsettings": VIEW,
        # Only to mark a visit's times as wrong afterwards (VisitAdmin).
        "queueing.visit": frozenset({"view", "change"}),
    },
}


def role_may(*, user: object, action: str, model_label: str) -> bool:
    """Whether `user`'s role allows `action` ("view", "add", "change",
    "delete") on the model `model_label` ("core.desk"), anywhere in scope."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return action in ROLE_PERMISSIONS.get(user.role, {}).get(model_label, frozenset())


def may_use_admin(*, user: object) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or user.role in ROLE_PERMISSIONS


# What each role may do in the staff pages, beyond the admin.
STAFF_ACTIONS: dict[str, frozenset[str]] = {
    "book_for_citizens": frozenset(
        {Role.ADMINISTRATOR, Role.MANAGER, Role.FRONT_DESK, Role.CONTACT_AGENT}
    ),
    "squeeze_in": frozenset({Role.ADMINISTRATOR, Role.MANAGER}),
    # The messages sent to citizens, trying failed ones again, and
    # cancelling a day's bookings with a message to every citizen.
    "manage_messages": frozenset({Role.ADMINISTRATOR, Role.MANAGER}),
    # Calling and serving citizens at a desk.
    "serve_at_desk": frozenset({Role.ADMINISTRATOR, Role.MANAGER, Role.FRONT_DESK}),
    # Logging contacts: the contact centre, and the information desk.
    "log_contacts": frozenset(
        {Role.ADMINISTRATOR, Role.MANAGER, Role.FRONT_DESK, Role.CONTACT_AGENT}
    ),
    # The contact centre's key figures: aggregate, no citizen's data, and
    # the agents who answer the calls are the ones they measure.
    "view_contact_kpis": frozenset({Role.ADMINISTRATOR, Role.MANAGER, Role.CONTACT_AGENT}),
    # The centre's statistics and annual report: aggregate figures of the
    # locations in the user's scope.
    "view_statistics": frozenset({Role.ADMINISTRATOR, Role.MANAGER}),
    # Planning: minutes per service, what-if, staffing, forecast, rota.
    "plan_staffing": frozenset({Role.ADMINISTRATOR, Role.MANAGER}),
    # The overview of the day: each place's queues, desks and day so far.
    # Front-desk staff see their own places' (the system's state only
    # managers and administrators, sees_operations_warnings).
    "watch_the_day": frozenset({Role.ADMINISTRATOR, Role.MANAGER, Role.FRONT_DESK}),
    # Acting on it from there: stopping tickets without a booking for the
    # rest of the day.
    "steer_the_day": frozenset({Role.ADMINISTRATOR, Role.MANAGER}),
    # Counting an information-desk contact or a cash-desk payment.
    "count_tallies": frozenset({Role.ADMINISTRATOR, Role.MANAGER, Role.FRONT_DESK}),
    # Importing the phone system's call records (CSV files).
    "import_calls": frozenset({Role.ADMINISTRATOR, Role.MANAGER}),
    # Reading and answering what citizens write (the shared mailbox, text
    # messages): the contact centre's, and its managers'.
    "answer_inquiries": frozenset({Role.ADMINISTRATOR, Role.MANAGER, Role.CONTACT_AGENT}),
    # Calling citizens who booked a telephone meeting; only with the phone
    # skill as well (may_call_phone_meetings).
    "call_phone_meetings": frozenset(
        {Role.ADMINISTRATOR, Role.MANAGER, Role.FRONT_DESK, Role.CONTACT_AGENT}
    ),
}


def role_allows(*, user: object, action: str) -> bool:
    """Whether `user`'s role allows a staff-page action ("squeeze_in")."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or user.role in STAFF_ACTIONS[action]


def staff_of_a_municipality(*, user: object, action: str) -> User:
    """`user`, if their role allows the staff-page `action` and they work
    for a municipality (a superuser of the installation has no centre to
    see); otherwise PermissionDenied (403)."""
    if not isinstance(user, User) or not role_allows(user=user, action=action):
        raise PermissionDenied
    if user.municipality_id is None:  # the id: no query for the municipality itself
        raise PermissionDenied
    return user


def may_answer_inquiries(*, user: object) -> bool:
    """Whether `user` reads and answers citizens' e-mails and text messages
    (a staff member of a municipality, in a role that allows it)."""
    return role_allows(user=user, action="answer_inquiries") and (
        isinstance(user, User) and (user.is_superuser or user.municipality_id is not None)
    )


def may_call_phone_meetings(*, user: object) -> bool:
    """Whether `user` takes and makes the calls of telephone meetings: a
    role that allows it, and the phone skill."""
    return role_allows(user=user, action="call_phone_meetings") and (
        isinstance(user, User) and (user.is_superuser or user.phone_skill)
    )


def may_watch_phone_meetings(*, user: object) -> bool:
    """Whether `user` sees the telephone-meeting worklist: those who call,
    and managers and administrators, who watch that no meeting is left
    unclaimed."""
    if may_call_phone_meetings(user=user):
        return True
    return isinstance(user, User) and user.is_active and user.role in CONFIGURING_ROLES


def may_import_calls(*, user: object) -> bool:
    """Whether `user` imports the phone system's call records: a role that
    allows it, in a municipality (calls belong to one; the installation's
    superusers, who have none, use `manage.py import_calls`)."""
    return (
        role_allows(user=user, action="import_calls")
        and isinstance(user, User)
        and user.municipality_id is not None
    )


def sees_operations_warnings(*, user: object) -> bool:
    """Whether `user` is shown the staff pages' warnings about the running
    system (the worker gone silent, text messages held by the hourly
    budget): managers and administrators, who can act on them. Front-desk
    staff and contact agents are not troubled with them."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (
            getattr(user, "is_superuser", False) or getattr(user, "role", None) in CONFIGURING_ROLES
        )
    )
