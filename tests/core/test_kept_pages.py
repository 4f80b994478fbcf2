"""The start page and the list of errands are rendered once and kept
(skranke/database/kept.py), yet a change made in the admin shows on the very
next page: the kept copy is found by a fingerprint of everything it shows."""

from datetime import date, time

import pytest
from django.conf import settings
from django.test import Client

from skranke.core import clock
from skranke.core.models import Location, Municipality, OpeningHours, Service, SpecialDay
from tests.centre import at

pytestmark = pytest.mark.django_db


def page(path: str, *, language: str = "da") -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_renamed_errand_shows_at_once_on_both_pages(centre: Location, passport: Service) -> None:
    assert "Pas</" in page("/")
    assert "Pas</a>" in page("/bestil/")
    passport.name_da = "Pas og rejsedokumenter"
    passport.save()
    assert "Pas og rejsedokumenter" in page("/")
    assert "Pas og rejsedokumenter" in page("/bestil/")


def test_an_errand_taken_off_disappears_at_once(centre: Location, passport: Service) -> None:
    assert 'href="/bestil/pas/"' in page("/bestil/")
    Service.objects.filter(pk=passport.pk).update(active=False)  # no signal, no save()
    assert 'href="/bestil/pas/"' not in page("/bestil/")
    assert "Pas</" not in page("/")


def test_changed_opening_hours_and_a_new_closed_day_show_at_once(centre: Location) -> None:
    assert "10:00–15:00" in page("/")
    monday = OpeningHours.objects.get(location=centre, weekday=0)
    monday.closes = time(17)
    monday.save()
    assert "10:00–17:00" in page("/")
    SpecialDay.objects.create(location=centre, date=date(2026, 12, 9), closed=True)
    assert "Onsdag 9. december 2026: lukket" in page("/")


def test_a_new_phone_number_shows_at_once(centre: Location, passport: Service) -> None:
    Service.objects.filter(pk=passport.pk).update(bookable_online=False)
    assert "11 22 33 44" in page("/bestil/")
    Municipality.objects.update(phone="99 88 77 66")
    assert "Ring til os på 99 88 77 66" in page("/bestil/")


def test_each_language_and_each_day_has_its_own_copy(centre: Location) -> None:
    assert "Borgerservice" in page("/", language="da")
    english = page("/", language="en")
    assert "Citizen service" in english
    assert "Book a time" in english
    assert "Today, Monday" in english
    clock.set_now(at(8, 9))
    assert "Today, Tuesday" in page("/", language="en")
