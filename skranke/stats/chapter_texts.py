"""Where each chapter's words of the annual report are written: a link
per chapter to that year's text, or to a new one with the chapter and the
year filled in. Only for staff whose role may write them (the role table
in accounts/permissions.py, which the admin holds them to as well)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from skranke.accounts.models import User
from skranke.accounts.permissions import role_may
from skranke.stats.models import Chapter, ChapterText

MODEL = "stats.chaptertext"


@dataclass(frozen=True)
class ChapterLink:
    url: str
    written: bool  # the chapter has a text this year: the link changes it


def chapter_text_links(*, user: User, year: int) -> dict[str, ChapterLink]:
    """By chapter ("overall", "visits" …): a link for each chapter the user
    may write or change the text of."""
    written = dict(
        ChapterText.objects.filter(municipality=user.municipality, year=year).values_list(
            "chapter", "pk"
        )
    )
    links: dict[str, ChapterLink] = {}
    for chapter in Chapter:
        if chapter.value in written:
            if role_may(user=user, action="change", model_label=MODEL):
                url = reverse("admin:stats_chaptertext_change", args=[written[chapter.value]])
                links[chapter.value] = ChapterLink(url=url, written=True)
        elif role_may(user=user, action="add", model_label=MODEL):
            wanted = {"municipality": user.municipality_id, "year": year, "chapter": chapter.value}
            url = f"{reverse('admin:stats_chaptertext_add')}?{urlencode(wanted)}"
            links[chapter.value] = ChapterLink(url=url, written=False)
    return links
