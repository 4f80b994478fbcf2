"""Load the demo municipality.

The first load makes everything. A later one (every `make run`) leaves the
configuration alone, so that what a manager changed (minutes, hours, closed
days, shifts, staff) survives a restart, and only books a few demo citizens
again when none are left for the days ahead. `reset=True` (`manage.py
load_demo --reset`) puts the configuration back to exactly what the demo
defines and replaces the demo's own bookings and their visits."""

import contextlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from skranke.accounts.devices import hash_token
from skranke.accounts.models import Device, User
from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import book_appointment
from skranke.booking.details import CitizenDetails
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import DomainError
from skranke.core.models import (
    Desk,
    DeskShift,
    Location,
    Municipality,
    OpeningHours,
    Service,
    SpecialDay,
    SpecialDayHours,
)
from skranke.core.schedule import mark_schedule_changed
from skranke.demo import data
from skranke.demo.inquiries import load_demo_inquiries
from skranke.demo.shift_patterns import load_shift_patterns
from skranke.planning.models import ShiftPattern
from skranke.queueing.models import Visit

DEMO_SLUG = "demo-kommune"


def summer_extended_day(today: date) -> date:
    """The last Thursday of June, this year or next: the extended opening
    before the summer holidays that the source documents mention."""
    year = today.year if today <= date(today.year, 6, 30) else today.year + 1
    day = date(year, 6, 30)
    while day.weekday() != 3:
        day -= timedelta(days=1)
    return day


def staff_day(today: date) -> date:
    """A Friday a little ahead, closed for a staff day, so the citizen pages
    always have a closure to show."""
    day = today + timedelta(days=10)
    while day.weekday() != 4:
        day += timedelta(days=1)
    return day


def load_demo_data(*, now: datetime, reset: bool = False) -> Municipality:
    """Load the demo as of `now` (aware): its special days and bookings are
    placed relative to that moment's Copenhagen date, and every check the
    booking rules make (lead time, horizon, what is still to come) is made
    at that same moment, never at the real clock's."""
    today = now.astimezone(clock.LOCAL_ZONE).date()
    # Checked before touching the database: demo accounts with a published
    # password must never reach a production installation.
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo data is never loaded in production mode.")
    loaded = Municipality.objects.filter(slug=DEMO_SLUG).first()
    if loaded is not None and not reset:
        town_hall = Location.objects.get(slug=data.TOWN_HALL.slug)
        _book_again_if_none_ahead(town_hall, now)
        # A demo loaded before the rota existed gets its shift patterns.
        if not ShiftPattern.objects.filter(location=town_hall).exists():
            load_shift_patterns(town_hall)
        # And the devices added since (the back office's wallboard), and
        # the inquiries.
        _load_devices(town_hall)
        load_demo_inquiries(municipality=loaded, location=town_hall, now=now)
        return loaded
    with transaction.atomic():
        municipality = _load(today)
    town_hall = Location.objects.get(slug=data.TOWN_HALL.slug)
    _load_bookings(town_hall, now)
    load_demo_inquiries(municipality=municipality, location=town_hall, now=now)
    return municipality


def _book_again_if_none_ahead(location: Location, now: datetime) -> None:
    """A demo started again days later still has citizens to call: when no
    demo booking is left from today on, a new set is booked. Nothing is
    deleted, and nothing else is touched."""
    ahead = Booking.objects.filter(
        phone__startswith=data.DEMO_PHONE_PREFIX, location=location, start__gte=now
    )
    if not ahead.exists():
        _book_demo_citizens(location, now)


def _load(today: date) -> Municipality:
    municipality, _ = Municipality.objects.update_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Demo Kommune",
            "phone": "12 34 56 78",
            "email": "borgerservice@kommune.example",
            "address": "Rådhuspladsen 1, 9999 Demoby",
            "website": "https://kommune.example/",
            "accessibility_statement_url": "https://kommune.example/tilgaengelighedserklaering",
            "privacy_notice_url": "https://kommune.example/privatlivspolitik",
        },
    )
    services = {
        service.slug: _load_service(municipality, service, position)
        for position, service in enumerate(data.ALL_SERVICES, start=1)
    }
    for place in data.LOCATIONS:
        location, _ = Location.objects.update_or_create(
            slug=place.slug,
            defaults={
                "municipality": municipality,
                "name": place.name,
                "address": place.address,
                "phone": place.phone,
            },
        )
        location.services.set([services[s.slug] for s in place.services])
        _load_week(location, place)
        _load_desks_and_shifts(location, place, services)
    _load_special_days(Location.objects.get(slug=data.TOWN_HALL.slug), today)
    load_shift_patterns(Location.objects.get(slug=data.TOWN_HALL.slug))
    _load_users(municipality)
    _load_devices(Location.objects.get(slug=data.TOWN_HALL.slug))
    return municipality


def _load_service(municipality: Municipality, service: data.DemoService, position: int) -> Service:
    loaded, _ = Service.objects.update_or_create(
        municipality=municipality,
        slug=service.slug,
        defaults={
            "name_da": service.name_da,
            "name_en": service.name_en,
            "duration_minutes": service.minutes,
            "kind": service.kind,
            "booking_required": service.booking_required,
            "bookable_online": service.bookable_online,
            "what_to_bring_da": service.bring_da,
            "what_to_bring_en": service.bring_en,
            "self_service_url": service.self_service_url,
            "ticket_letter": service.ticket_letter,
            "walk_in_allowed": service.walk_in_allowed,
            "waiting_area_da": service.waiting_area_da,
            "waiting_area_en": service.waiting_area_en,
            "sensitive": service.sensitive,
            "position": position,
            "active": True,
        },
    )
    return loaded


def _load_week(location: Location, place: data.DemoLocation) -> None:
    OpeningHours.objects.filter(location=location).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=weekday, opens=opens, closes=closes)
        for weekday, intervals in place.week.items()
        for opens, closes in map(data.hours, intervals)
    )
    # bulk_create sends no signals.
    mark_schedule_changed(location_ids=[location.pk])


def _load_desks_and_shifts(
    location: Location, place: data.DemoLocation, services: dict[str, Service]
) -> None:
    in_person = [services[s.slug] for s in place.services if s.kind == "in_person"]
    by_phone = [services[s.slug] for s in place.services if s.kind == "phone"]
    desks = [(name, Desk.Kind.COUNTER, in_person) for name in place.counters]
    desks += [(name, Desk.Kind.PHONE_LINE, by_phone) for name in place.phone_lines]
    for number, (name, kind, handled) in enumerate(desks):
        desk, _ = Desk.objects.update_or_create(
            location=location, name=name, defaults={"kind": kind, "active": True}
        )
        DeskShift.objects.filter(desk=desk, date__isnull=True).delete()
        for weekday, intervals in place.week.items():
            # Saturdays are for errands at the counter, staffed by two desks;
            # telephone meetings are held on weekdays only.
            if weekday == 5 and (kind == Desk.Kind.PHONE_LINE or number >= 2):
                continue
            for opens, closes in map(data.hours, intervals):
                shift = DeskShift.objects.create(
                    desk=desk, weekday=weekday, starts=opens, ends=closes
                )
                shift.services.set(handled)


def _load_special_days(location: Location, today: date) -> None:
    SpecialDay.objects.filter(location=location).delete()
    DeskShift.objects.filter(desk__location=location, date__isnull=False).delete()
    extended = SpecialDay.objects.create(
        location=location,
        date=summer_extended_day(today),
        note_da="Udvidet åbningstid før sommerferien",
        note_en="Extended opening hours before the summer holidays",
    )
    SpecialDayHours.objects.create(special_day=extended, opens=time(10), closes=time(19))
    for desk in Desk.objects.filter(location=location, kind=Desk.Kind.COUNTER)[:3]:
        weekly = desk.shifts.filter(weekday=extended.date.weekday()).first()
        if weekly is None:
            continue
        shift = DeskShift.objects.create(
            desk=desk, date=extended.date, starts=time(10), ends=time(19)
        )
        shift.services.set(weekly.services.all())
    SpecialDay.objects.create(
        location=location,
        date=staff_day(today),
        closed=True,
        note_da="Lukket på grund af personaledag",
        note_en="Closed for a staff day",
    )


def _load_users(municipality: Municipality) -> None:
    locations = {location.slug: location for location in Location.objects.all()}
    for username, first_name, role, location_slugs in data.DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "municipality": municipality,
                "role": role,
                "phone_skill": username in data.DEMO_PHONE_SKILLED,
            },
        )
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.locations.set([locations[slug] for slug in location_slugs])


def _load_devices(location: Location) -> None:
    for kind, token in data.DEMO_DEVICE_TOKENS.items():
        Device.objects.update_or_create(
            token_hash=hash_token(token),
            defaults={
                "name": f"Demo {kind}",
                "kind": kind,
                "location": location,
                "revoked_at": None,
            },
        )


def _load_bookings(location: Location, now: datetime) -> None:
    """A few citizens booked for the next open days, so that the staff pages
    have something to show. Only the demo's own bookings (and their visits)
    are replaced."""
    demo_visits = Visit.objects.filter(booking__phone__startswith=data.DEMO_PHONE_PREFIX)
    Visit.objects.filter(transferred_from__in=demo_visits).update(transferred_from=None)
    demo_visits.delete()
    Booking.objects.filter(phone__startswith=data.DEMO_PHONE_PREFIX).delete()
    _book_demo_citizens(location, now)


def _book_demo_citizens(location: Location, now: datetime) -> None:
    policy = Policy.for_staff(location, at=now)
    today = policy.today()
    services = {service.slug: service for service in location.services.all()}
    for number, (name, slug, channel) in enumerate(data.DEMO_BOOKINGS):
        slots = find_slots(
            location=location,
            service=services[slug],
            first_day=today + timedelta(days=1),
            last_day=today + timedelta(days=7),
            policy=policy,
        )
        if not slots:
            continue
        with contextlib.suppress(DomainError):
            book_appointment(
                location=location,
                service=services[slug],
                start=slots[(number * 11) % len(slots)].start,
                citizen=CitizenDetails(
                    name=name, phone=f"{data.DEMO_PHONE_PREFIX}{number:04d}", sms_consent=True
                ),
                channel=channel,
                policy=policy,
            )
    _load_phone_meetings_today(location, today, policy)


def _load_phone_meetings_today(location: Location, today: date, policy: Policy) -> None:
    """A few telephone meetings today, spread over the free times left (none
    on a closed day or after hours)."""
    services = {service.slug: service for service in location.services.all()}
    first_number = len(data.DEMO_BOOKINGS)
    for number, (name, slug, note) in enumerate(data.DEMO_PHONE_MEETINGS_TODAY):
        slots = find_slots(
            location=location,
            service=services[slug],
            first_day=today,
            last_day=today,
            policy=policy,
        )
        if not slots:
            continue
        with contextlib.suppress(DomainError):
            book_appointment(
                location=location,
                service=services[slug],
                start=slots[(number * 3) % len(slots)].start,
                citizen=CitizenDetails(
                    name=name,
                    phone=f"{data.DEMO_PHONE_PREFIX}{first_number + number:04d}",
                    sms_consent=True,
                    note=note,
                ),
                channel=Booking.Channel.WEB,
                policy=policy,
            )
