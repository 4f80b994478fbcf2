"""The demo municipality, drawn from the source documents (MISSION.md).

Its services are those of the 2019 annual report, with minutes a centre
would plausibly plan with; the telephone-meeting topics are the six of the
pilot; the opening hours include a Saturday and an early off-peak slot.
Addresses, phone numbers and domains are fictional on purpose.
"""

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class DemoService:
    slug: str
    name_da: str
    name_en: str
    minutes: int
    kind: str = "in_person"
    booking_required: bool = True
    bookable_online: bool = True
    bring_da: str = ""
    bring_en: str = ""
    self_service_url: str = ""
    ticket_letter: str = "A"
    walk_in_allowed: bool = False  # urgent errands squeezed in without a booking
    waiting_area_da: str = ""
    waiting_area_en: str = ""
    # Messages and calendar files say "your appointment" (Service.sensitive).
    sensitive: bool = False


BORGER_DK = "https://www.borger.dk/"
ID_DOCUMENTS_DA = "Gyldigt pas eller kørekort og dit sundhedskort."
ID_DOCUMENTS_EN = "A valid passport or driving licence, and your health insurance card."

IN_PERSON_SERVICES = [
    DemoService(
        "pas",
        "Pas",
        "Passport",
        20,
        ticket_letter="P",
        walk_in_allowed=True,
        waiting_area_da="Venteområde P ved fotoboksen",
        waiting_area_en="Waiting area P by the photo booth",
        bring_da="Dit nuværende pas, hvis du har et, og dit sundhedskort. Vi tager billedet her.",
        bring_en="Your current passport, if you have one, and your health insurance card. "
        "We take the photo here.",
    ),
    DemoService(
        "koerekort",
        "Kørekort",
        "Driving licence",
        20,
        ticket_letter="P",
        waiting_area_da="Venteområde P ved fotoboksen",
        waiting_area_en="Waiting area P by the photo booth",
        bring_da="Dit nuværende kørekort og dit sundhedskort.",
        bring_en="Your current driving licence and your health insurance card.",
    ),
    DemoService(
        "mitid",
        "MitID",
        "MitID",
        15,
        bring_da=ID_DOCUMENTS_DA,
        bring_en=ID_DOCUMENTS_EN,
        self_service_url="https://www.mitid.dk/",
    ),
    DemoService(
        "folkeregister",
        "Folkeregister og flytning",
        "Civil registry and moving",
        15,
        bring_da=ID_DOCUMENTS_DA,
        bring_en=ID_DOCUMENTS_EN,
        self_service_url=BORGER_DK,
    ),
    DemoService(
        "sundhedskort",
        "Sundhedskort og lægevalg",
        "Health insurance card and doctor",
        10,
        walk_in_allowed=True,
        bring_da="Dit sundhedskort.",
        bring_en="Your health insurance card.",
        self_service_url=BORGER_DK,
    ),
    DemoService(
        "vielse",
        "Vielse og ægteskab",
        "Marriage",
        30,
        bring_da="Begge parters pas eller kørekort.",
        bring_en="Both partners' passports or driving licences.",
    ),
    DemoService("bolig", "Bolig", "Housing", 20, self_service_url=BORGER_DK),
    DemoService("ejendomsskat", "Ejendomsskat", "Property tax", 15),
    DemoService(
        "opkraevning",
        "Opkrævning og betaling",
        "Collections and payments",
        15,
        bring_da="Brevet eller regningen, det drejer sig om.",
        bring_en="The letter or bill it is about.",
    ),
    DemoService(
        "digital-hjaelp",
        "Hjælp til digital selvbetjening",
        "Help with digital self-service",
        30,
        bring_da="Din telefon eller dit MitID, og gerne en liste over, hvad du vil have hjælp til.",
        bring_en="Your phone or MitID, and a list of what you would like help with.",
    ),
    DemoService("andet", "Andet", "Other", 15),
]

WALK_IN_SERVICES = [
    DemoService(
        "brevstemme",
        "Brevstemme",
        "Postal vote",
        5,
        ticket_letter="B",
        booking_required=False,
        bookable_online=False,
        bring_da="Pas, kørekort eller sundhedskort.",
        bring_en="Your passport, driving licence or health insurance card.",
    ),
    DemoService(
        "dokumentboks",
        "Afhentning i dokumentboks",
        "Pick-up from the document locker",
        5,
        ticket_letter="D",
        booking_required=False,
        bookable_online=False,
        bring_da="Koden fra din SMS og dit sundhedskort.",
        bring_en="The code from your text message and your health insurance card.",
    ),
]

PHONE_SERVICES = [
    DemoService(
        "tlf-folkeregister",
        "Telefonmøde: Folkeregister",
        "Telephone meeting: Civil registry",
        15,
        kind="phone",
    ),
    DemoService(
        "tlf-boliganvisning",
        "Telefonmøde: Boliganvisning",
        "Telephone meeting: Housing allocation",
        15,
        kind="phone",
    ),
    DemoService(
        "tlf-pladsanvisning",
        "Telefonmøde: Pladsanvisning",
        "Telephone meeting: Childcare places",
        15,
        kind="phone",
    ),
    DemoService(
        "tlf-sygedagpenge",
        "Telefonmøde: Sygedagpenge",
        "Telephone meeting: Sickness benefit",
        15,
        kind="phone",
        sensitive=True,
    ),
    DemoService(
        "tlf-ledighedsydelse",
        "Telefonmøde: Ledighedsydelse og ressourceforløbsydelse",
        "Telephone meeting: Flexible-job and resource-programme benefits",
        15,
        kind="phone",
        sensitive=True,
    ),
    DemoService(
        "tlf-kontanthjaelp",
        "Telefonmøde: Kontanthjælp",
        "Telephone meeting: Social assistance",
        15,
        kind="phone",
        sensitive=True,
    ),
]

ALL_SERVICES = IN_PERSON_SERVICES + WALK_IN_SERVICES + PHONE_SERVICES


def hours(text: str) -> tuple[time, time]:
    opens, closes = text.split("-")
    return time.fromisoformat(opens), time.fromisoformat(closes)


@dataclass(frozen=True)
class DemoLocation:
    slug: str
    name: str
    address: str
    phone: str
    week: dict[int, list[str]]  # weekday → "HH:MM-HH:MM" intervals
    counters: list[str]
    phone_lines: list[str]
    services: list[DemoService]


TOWN_HALL = DemoLocation(
    slug="raadhuset",
    name="Borgerservice Rådhuset",
    address="Rådhuspladsen 1, 9999 Demoby",
    phone="12 34 56 78",
    week={
        0: ["10:00-17:00"],
        # An early off-peak slot ("ydertimer") for citizens on their way to work.
        1: ["08:00-09:30", "10:00-15:00"],
        2: ["10:00-15:00"],
        3: ["10:00-17:00"],
        4: ["10:00-13:00"],
        5: ["10:00-13:00"],
    },
    counters=["1", "2", "3", "4", "5", "6"],
    phone_lines=["Telefon 1", "Telefon 2"],
    services=ALL_SERVICES,
)

LIBRARY = DemoLocation(
    slug="biblioteket",
    name="Borgerservice Biblioteket",
    address="Bibliotekstorvet 3, 9999 Demoby",
    phone="12 34 56 79",
    week={1: ["12:00-17:00"], 3: ["12:00-17:00"]},
    counters=["A", "B"],
    phone_lines=[],
    services=IN_PERSON_SERVICES[:5] + WALK_IN_SERVICES,
)

LOCATIONS = [TOWN_HALL, LIBRARY]

# One demo account per role. The password is printed by `make run`; the
# accounts are never created in production mode.
DEMO_PASSWORD = "skranke-demo"  # noqa: S105 - published on purpose, demo only
# The town hall's kiosk and display sign in with these (demo only, like the
# password): open /enhed/ and enter one.
DEMO_DEVICE_TOKENS = {
    "kiosk": "demo-kiosk-raadhus",
    "display": "demo-skaerm-raadhus",
    "survey": "demo-undersoegelse-raadhus",
    "wallboard": "demo-tavle-raadhus",
}
DEMO_USERS = [
    # username, first name, role, location slugs
    ("admin", "Anne", "administrator", []),
    ("leder", "Lars", "manager", ["raadhuset"]),
    ("skranke", "Sara", "front_desk", ["raadhuset"]),
    ("kontaktcenter", "Karim", "contact_agent", ["raadhuset", "biblioteket"]),
]

# Citizens booked in the demo: name, service, how they booked. Their phone
# numbers share a prefix, so the demo replaces only its own bookings.
DEMO_PHONE_PREFIX = "+452800"
DEMO_BOOKINGS = [
    ("Mette Nielsen", "pas", "web"),
    ("Jens Jensen", "koerekort", "web"),
    ("Fatima Ali", "mitid", "phone"),
    ("Poul Hansen", "folkeregister", "web"),
    ("Ida Larsen", "sundhedskort", "web"),
    ("Ahmed Hassan", "pas", "phone"),
    ("Birthe Andersen", "digital-hjaelp", "counter"),
    ("Søren Pedersen", "tlf-sygedagpenge", "web"),
    ("Louise Christensen", "tlf-boliganvisning", "web"),
    ("Karl Madsen", "opkraevning", "phone"),
]

# Telephone meetings on the day the demo is loaded, so the worklist has
# calls to make: name, topic, what the citizen wrote. Numbered on from the
# bookings above, with the same phone prefix.
DEMO_PHONE_MEETINGS_TODAY = [
    (
        "Hanne Holm",
        "tlf-folkeregister",
        "Jeg flytter til Tyskland og vil høre, hvad jeg skal huske.",
    ),
    ("Omar Khalil", "tlf-boliganvisning", "Hvor langt er jeg på ventelisten til en bolig?"),
    (
        "Lene Dam",
        "tlf-pladsanvisning",
        "Vi flytter hertil i marts og skal bruge en vuggestueplads.",
    ),
    ("Mikkel Berg", "tlf-sygedagpenge", "Min arbejdsgiver har ikke meldt min sygdom."),
]
# Demo staff who call telephone meetings (the phone skill).
DEMO_PHONE_SKILLED = frozenset({"skranke"})
