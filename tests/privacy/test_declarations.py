"""Privacy knows citizens' data by what each app declares in its
personal_data.py (core/personal_data_registry.py): every app's module is
discovered when Django starts, and a model that holds a citizen's number,
address, CPR number or words is declared, so that an app which forgets
fails here rather than keeping the data for ever."""

from pathlib import Path

from django.apps import apps
from django.db import models

from skranke.core.personal_data_registry import registered_personal_data
from skranke.privacy.access_request import shown_personal_data
from skranke.privacy.erasure import kind_labels
from skranke.privacy.models import DEFAULT_DAYS, RetentionSettings

SKRANKE = Path(__file__).resolve().parent.parent.parent / "skranke"

# What a text field's name starts with when it may hold who a citizen is
# ("email", "email_key"), or what they or the staff wrote about them.
CITIZENS_DETAILS = {"phone", "email", "cpr", "recipient", "note", "comment"}

# Models with such a field that hold nothing about a citizen, and why.
NOT_CITIZENS = {
    "core.Municipality": "the municipality's own number and address, to reach it",
    "core.Location": "the centre's own number",
    "core.SpecialDay": "the centre's note about a day, shown to everyone",
    "accounts.User": "staff, whose accounts are not citizens' data",
    "access_log.DataProtectionReader": "staff (the staff model, seen by the access log)",
    "contact.TopicGroup": "the phone system's names of its queues",
    "inquiries.Department": "a department's own address, to forward to",
}


def holds_citizens_details(model: type[models.Model]) -> bool:
    return any(
        isinstance(field, models.CharField | models.TextField)
        and field.name.split("_")[0] in CITIZENS_DETAILS
        for field in model._meta.get_fields()
    )


def test_every_model_that_holds_a_citizens_details_is_declared() -> None:
    declared = {data.model for data in registered_personal_data()}
    holding = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("skranke.") and holds_citizens_details(model)
    ]
    assert "booking.Booking" in holding  # the rule finds what it is for
    undeclared = [
        label
        for label in holding
        if label not in NOT_CITIZENS and apps.get_model(label) not in declared
    ]
    assert undeclared == [], "declare them in the app's personal_data.py"
    assert set(NOT_CITIZENS) <= set(holding), "a model listed here no longer needs to be"


def test_each_apps_declarations_are_discovered_when_django_starts() -> None:
    # Nothing imports these modules but privacy's discovery (PrivacyConfig.ready).
    with_module = {path.parent.name for path in SKRANKE.glob("*/personal_data.py")}
    assert with_module >= {"booking", "queueing", "contact_centre", "notifications", "surveys"}
    declaring = {
        data.model._meta.app_config.name.removeprefix("skranke.")
        for data in registered_personal_data()
    }
    assert declaring == with_module


def test_each_kind_is_kept_for_a_period_privacy_has_a_setting_for() -> None:
    settings = {field.name for field in RetentionSettings._meta.get_fields()}
    for data in registered_personal_data():
        if data.retention is not None:
            assert data.retention.setting in DEFAULT_DAYS, data.kind
            assert data.retention.setting in settings, data.kind


def test_one_kind_is_the_citizens_bookings_by_which_the_rest_is_found() -> None:
    bookings = [data.kind for data, how in shown_personal_data() if how.are_bookings]
    assert bookings == ["bookings"]


def test_the_kinds_are_listed_in_their_order() -> None:
    """The order of the erasure's report and log line (docs/privacy.md),
    and of the request for access's answer."""
    assert list(kind_labels()) == [
        "bookings",
        "booking_requests",
        "survey_invitations",
        "contact_notes",
        "call_records",
        "messages",
        "received_texts",
        "inquiries",
        "inquiries_with_cpr_numbers",
        "survey_comments",
        "erasure_requests",
        "expired_sessions",
        "access_records",
    ]
    assert [how.key for _data, how in shown_personal_data()] == [
        "bookings",
        "visits",
        "contacts",
        "messages",
        "inquiries",
        "survey_invitations",
    ]
