"""Skranke's settings: one file, driven by the environment.

Development needs no environment at all. Production (SKRANKE_ENV=production)
refuses to start until the settings that must not be guessed are given.
Every variable is described in docs/configuration.md.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Generic Django classes in annotations (ManyToManyField[…]) at run time.
django_stubs_ext.monkeypatch()

ENVIRONMENT = os.environ.get("SKRANKE_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured("SKRANKE_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, *, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return number


def require_in_production(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if PRODUCTION and not value:
        raise ImproperlyConfigured(f"{name} must be set when SKRANKE_ENV=production.")
    return value


def development_secret_key() -> str:
    """A key generated once per checkout and kept in an ignored file, so that
    sessions survive restarts without anyone having to configure a secret."""
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = require_in_production("SECRET_KEY") or development_secret_key()
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when SKRANKE_ENV=production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
require_in_production("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "skranke.accounts.apps.SkrankeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Only for the API's documentation page: Swagger UI from this site, not a CDN.
    "ninja",
    # Staff sign-in: second factor (TOTP, recovery codes) and lockout (docs/sign-in.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "skranke.web",
    "skranke.core",
    "skranke.configuration",
    "skranke.accounts",
    "skranke.booking",
    "skranke.notifications",
    "skranke.queueing",
    "skranke.contact_centre",
    "skranke.information_and_cash_desks",
    "skranke.surveys",
    "skranke.inquiries",
    "skranke.stats",
    "skranke.phone_meetings",
    "skranke.planning",
    "skranke.kiosk",
    "skranke.desk",
    "skranke.display",
    "skranke.overview",
    "skranke.worker",
    "skranke.demo",
    "skranke.access_log",
    "skranke.privacy",
    "skranke.rate_limits",
    "skranke.challenge",
    "skranke.sign_in",
]

MIDDLEWARE = [
    # First, so that it times and counts every answer, the other middleware's
    # own too (skranke/monitoring/middleware.py).
    "skranke.monitoring.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP, Permissions-Policy, no-store; after WhiteNoise, so static files keep their caching.
    "skranke.web.security_headers.SecurityHeadersMiddleware",
    "skranke.web.null_bytes.RefuseNullBytesMiddleware",
    # A 503 page (or the API's JSON) while the database is down.
    "skranke.web.database_down.DatabaseDownMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skranke.web.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, which tells staff from anonymous callers of the API.
    "skranke.rate_limits.middleware.AnonymousApiLimitMiddleware",
    # Which second factor, if any, this session has passed (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff who must use a second factor see nothing until they have given it.
    "skranke.sign_in.mfa.SecondFactorMiddleware",
    # Signs out staff after STAFF_IDLE_MINUTES without use or a working day.
    "skranke.sign_in.staff_sessions.StaffSessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "skranke.urls"
WSGI_APPLICATION = "skranke.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skranke.core.context_processors.municipality",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite in the project folder by default; PostgreSQL in production.
DATABASE_URL = require_in_production("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
_database: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers
    # queue on busy_timeout instead of failing half-way with "database is locked".
    # Each app thread keeps its connection (the threads are a fixed pool, so
    # at most processes × threads + the worker): opening one runs the PRAGMAs
    # below and registers Django's SQL functions, which took a tenth of a
    # citizen page's time in the server (docs/benchmarks.md).
    _database["CONN_MAX_AGE"] = 600
    _database["CONN_HEALTH_CHECKS"] = True
    # Tests use a file, not memory: race tests need several connections to
    # see one database.
    # SKRANKE_TEST_DB lets two test runs on one checkout keep apart.
    _database["TEST"] = {
        "NAME": os.environ.get("SKRANKE_TEST_DB") or str(BASE_DIR / "test-db.sqlite3")
    }
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
SQLITE = _database["ENGINE"] == "django.db.backends.sqlite3"

# --- The app server (skranke/gunicorn_config.py; docs/scaling.md) ----------
# Processes rather than threads: the threads of one process take turns at
# Python's interpreter lock, and every database call gave it up and then
# waited to get it back. On the release-morning load test (2 cores) four
# threads per process made citizen pages wait p95 0.6–1.2 s; six processes
# of one thread, 0.2–0.4 s (docs/benchmarks.md). Three per core, so that
# one waiting for the database or a slow client leaves the core to another.
# On PostgreSQL a second thread per process overlaps its round trips; on
# SQLite, with one writer at a time, a second only waits on the write lock.
# The cores this process may use (a container's or taskset's share), where
# the system can tell (Linux); all of them elsewhere.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
WEB_PROCESSES = env_int("WEB_PROCESSES", default=min(3 * (_CORES or 1), 8))
WEB_THREADS = env_int("WEB_THREADS", default=1 if SQLITE else 2)

if not SQLITE:
    _database["CONN_HEALTH_CHECKS"] = True
    # A bounded pool per process instead of a connection per thread: however
    # many clients come, a process never holds more than max_size connections
    # (the rest wait up to `timeout` seconds). One connection per thread is
    # the default, so a request never waits for one. Connections are opened
    # when first needed (min_size 0: the worker and a management command hold
    # one) and kept for reuse until idle for ten minutes; the pool keeps them,
    # which Django requires CONN_MAX_AGE = 0 for.
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        **_database.get("OPTIONS", {}),
        "pool": {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", default=0, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", default=WEB_THREADS),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", default=10),
        },
    }
DATABASES = {"default": _database}
# A PostgreSQL streaming replica for the heavy reads (statistics, the annual
# report, planning: skranke/database/replica.py), used while it is no more
# than DATABASE_REPLICA_MAX_LAG_SECONDS behind; otherwise they read from
# the primary. No pool: a replica that is down must fail fast, not wait.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int(
    "DATABASE_REPLICA_MAX_LAG_SECONDS", default=30, minimum=0
)
if DATABASE_REPLICA_URL:
    if SQLITE:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL as DATABASE_URL.")
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 2},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["skranke.database.replica.ReplicaRouter"]

# --- A shared cache (skranke/database/shared_cache.py; docs/scaling.md) ----
# With REDIS_URL (redis://host:6379/0, rediss:// for TLS) the values kept
# in the cache (figures, the worker's heartbeat, access tokens) are shared
# by every process and server; a Redis that is down only costs their
# making afresh. Without it, each process keeps its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "skranke.database.shared_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "skranke"),
            # A Redis that does not answer must not hold a page for long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
# SQLite builds the covering index on bookings (booking/models.py) without
# its INCLUDE columns, which only PostgreSQL reads: nothing to warn about.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if SQLITE else []
# PostgreSQL: how long a booking waits for another's locks (skranke/booking/
# locking.py) before the citizen is told the time was taken: a stuck holder
# must not hold every booking of the day until gunicorn gives up (30 s).
BOOKING_LOCK_TIMEOUT_SECONDS = env_int("BOOKING_LOCK_TIMEOUT_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account or address before the
# password is checked (it needs the request: authenticate(request, ...)).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's password backend, with a second factor demanded of an
    # account under attack (skranke/sign_in/lockout.py).
    "skranke.sign_in.lockout.ThrottledAccountBackend",
]
LOGIN_URL = "sign_in:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:start"

# The address citizens reach Skranke at, for links in text messages and
# e-mails (which the worker writes, outside any web request).
# Outside production the links in messages point at the port the system
# runs on (`PORT=8080 make run`).
SITE_URL = (
    require_in_production("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")

# --- Languages, dates and times ------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -----------------------------------------------------------
# Front-end packages are installed from npm (make run / make test) and served
# straight from node_modules in development, collected into STATIC_ROOT for
# production. Nothing built is committed.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# Outside production WhiteNoise also serves straight from the finders
# (node_modules, each app's static/), with DEBUG off as `make run` has it,
# so a file is there without collectstatic first.
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- The municipality ---------------------------------------------------------
# Which municipality the citizen pages present, by slug; the first one when empty.
SKRANKE_MUNICIPALITY = os.environ.get("SKRANKE_MUNICIPALITY", "").strip()

# --- The clock --------------------------------------------------------------
# A training or demo installation may run as if it had been started at
# another moment; see skranke/core/clock.py.
SKRANKE_CLOCK_START = os.environ.get("SKRANKE_CLOCK_START", "").strip()
if PRODUCTION and SKRANKE_CLOCK_START:
    raise ImproperlyConfigured("SKRANKE_CLOCK_START is refused when SKRANKE_ENV=production.")

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Staff are signed out after this many minutes without a request, and a
# working day after they signed in however busy (skranke/sign_in/staff_sessions.py).
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", default=30)
STAFF_SESSION_HOURS = env_int("STAFF_SESSION_HOURS", default=10)
SESSION_COOKIE_AGE = 60 * 60 * STAFF_SESSION_HOURS
SESSION_COOKIE_SAMESITE = "Lax"
# A citizen's details typed and not yet booked are kept this long after the
# latest step (skranke/booking/views/drafts.py).
BOOKING_DRAFT_MINUTES = env_int("BOOKING_DRAFT_MINUTES", default=60)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    # Skranke runs behind a reverse proxy that terminates TLS (docs/install.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Health checks come straight to the app server, over plain HTTP. So may
    # Prometheus for /metrics (docs/monitoring.md): a redirect would not
    # protect its token, which the first request has already sent.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# --- Staff sign-in (docs/sign-in.md) ----------------------------------------
# Administrators and managers (and everyone, where a municipality's sign-in
# settings say so) give a code from an authenticator app after the password.
# Always in production; elsewhere only when switched on, so that the demo
# runs on its demo passwords alone.
MFA_REQUIRED = env_bool("MFA_REQUIRED", default=PRODUCTION)
if PRODUCTION and not MFA_REQUIRED:
    raise ImproperlyConfigured("MFA_REQUIRED cannot be off when SKRANKE_ENV=production.")
# The name the authenticator app shows beside the code.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Skranke").strip() or "Skranke"
MFA_RECOVERY_CODES = 10
# Passkeys (WebAuthn, django-otp-webauthn) as the second factor instead of
# the app. A passkey belongs to one domain for good: SITE_URL's host unless
# PASSKEY_DOMAIN names a parent domain. Browsers allow passkeys over https
# or on localhost only (never on an IP address), so a development or demo
# server on plain http offers them at localhost.
_site = urlsplit(SITE_URL)
_site_host = _site.hostname if _site.scheme == "https" and _site.hostname else "localhost"
OTP_WEBAUTHN_RP_ID = os.environ.get("PASSKEY_DOMAIN", "").strip() or _site_host
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("PASSKEY_ORIGINS") or [
    f"{_site.scheme}://{_site_host}" + (f":{_site.port}" if _site.port else "")
]
# A passkey is a second factor after the password here, never a sign-in alone.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Single sign-on providers on the internal network the app server may
# reach (host names; docs/sign-in.md). Any other internal address is
# refused in production.
SINGLE_SIGN_ON_INTERNAL_HOSTS = env_list("SINGLE_SIGN_ON_INTERNAL_HOSTS")
# Lockout (django-axes; skranke/sign_in/lockout.py, docs/sign-in.md): an
# account is locked from one network after LOGIN_FAILURE_LIMIT wrong
# passwords there, a network after LOGIN_ADDRESS_FAILURE_LIMIT for any
# accounts (a town hall's staff share one), each for LOGIN_LOCKOUT_MINUTES.
# After LOGIN_ACCOUNT_FAILURE_LIMIT wrong passwords from anywhere the
# account is throttled, not locked: the right password goes on only with a
# second factor.
# Adding a passkey beside a second factor the account has asks for a
# sign-in this recent (skranke/sign_in/passkey_views.py).
FRESH_SIGN_IN_MINUTES = env_int("FRESH_SIGN_IN_MINUTES", default=10)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_HANDLER = "skranke.sign_in.lockout.AccountOrAddressHandler"
# The account from one network, the network, the account from anywhere
# (AccountOrAddressHandler weighs each).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "skranke.sign_in.lockout.locked_out"
# The unlock is an action on the staff member in the admin; axes' own
# pages would show every address and every login to superusers alone.
AXES_ENABLE_ADMIN = False
# Attempts only, not a second record of every sign-in; and its log lines
# name neither the account nor the address (AXES_SENSITIVE_PARAMETERS).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Behind TRUSTED_PROXY_COUNT reverse proxies (docs/install.md: one in
# production) the client's address is the one the outermost proxy added to
# X-Forwarded-For; anything further left the client may have made up.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0, minimum=0)
# Limits count networks, not addresses: an IPv6 /64 is one household's or
# one server's (CLIENT_NETWORK_IPV6_PREFIX: 64, or 56 or 48 where a
# provider hands out larger blocks). An IPv4 address counts by itself.
CLIENT_NETWORK_IPV6_PREFIX = env_int("CLIENT_NETWORK_IPV6_PREFIX", default=64)
if CLIENT_NETWORK_IPV6_PREFIX not in (48, 56, 64):
    raise ImproperlyConfigured("CLIENT_NETWORK_IPV6_PREFIX must be 64, 56 or 48.")
# The lockout stores the network (its first address), not the address, and
# the user name typed only as a keyed hash: often it is a password typed in
# the wrong field.
AXES_CLIENT_IP_CALLABLE = "skranke.web.client_address.client_network"
AXES_USERNAME_CALLABLE = "skranke.sign_in.lockout.hashed_username"
# Rate limits (skranke/rate_limits; docs/configuration.md), counted in the
# database across all processes; past one the answer is 429 with Retry-After.
RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR = env_int(
    "RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR", default=20
)
# A household books with one mobile number: a family of six, with a retry
# or two, in a day.
RATE_LIMIT_BOOKINGS_PER_PHONE_PER_DAY = env_int("RATE_LIMIT_BOOKINGS_PER_PHONE_PER_DAY", default=10)
# One phone number (or e-mail address) may hold this many active bookings
# of one service, for different people by name: a parent books the
# family's passports (skranke/booking/booking.py).
BOOKINGS_PER_SERVICE_PER_PHONE = env_int("BOOKINGS_PER_SERVICE_PER_PHONE", default=6)
RATE_LIMIT_CHECK_INS_PER_DEVICE_PER_MINUTE = env_int(
    "RATE_LIMIT_CHECK_INS_PER_DEVICE_PER_MINUTE", default=30
)
RATE_LIMIT_DEVICE_SIGN_INS_PER_ADDRESS_PER_15_MINUTES = env_int(
    "RATE_LIMIT_DEVICE_SIGN_INS_PER_ADDRESS_PER_15_MINUTES", default=10
)
# Asking for a password-reset mail: from one network, and for one e-mail
# address, so mails to one staff account (skranke/sign_in/passwords.py).
RATE_LIMIT_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = env_int(
    "RATE_LIMIT_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", default=10
)
RATE_LIMIT_PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = env_int(
    "RATE_LIMIT_PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", default=3
)
RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE = env_int(
    "RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE", default=300
)
# The SMS provider's webhooks (delivery reports, citizens' texts): posts
# from one network a minute (GatewayAPI reports on an evening's reminders
# within minutes), and how often one signed post may come again in an hour
# (the provider sends again only what was not answered; a copy, no more).
RATE_LIMIT_PROVIDER_WEBHOOKS_PER_NETWORK_PER_MINUTE = env_int(
    "RATE_LIMIT_PROVIDER_WEBHOOKS_PER_NETWORK_PER_MINUTE", default=3000
)
RATE_LIMIT_SIGNED_POST_REPEATS_PER_HOUR = env_int(
    "RATE_LIMIT_SIGNED_POST_REPEATS_PER_HOUR", default=20, minimum=1
)
# The proof of work against hoarding (skranke/challenge; docs/configuration.md):
# on by itself past these booking attempts in a clock hour, from one address
# or from all together, or always; how hard it is and how long the page
# without JavaScript makes the citizen wait instead.
CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR = env_int(
    "CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR", default=5
)
CHALLENGE_AFTER_BOOKINGS_PER_HOUR = env_int("CHALLENGE_AFTER_BOOKINGS_PER_HOUR", default=300)
CHALLENGE_ALWAYS = env_bool("CHALLENGE_ALWAYS", default=False)
CHALLENGE_MAX_NUMBER = env_int("CHALLENGE_MAX_NUMBER", default=50_000, minimum=1000)
CHALLENGE_WAIT_SECONDS = env_int("CHALLENGE_WAIT_SECONDS", default=10, minimum=0)
# The defences grow with the pressure (skranke/challenge/pressure.py;
# docs/challenge.md): each doubling of the attempts past a threshold
# doubles the proof's work and the wait, up to these ceilings (a phone
# solves the ceiling's proof in about two seconds; docs/challenge.md).
CHALLENGE_MAX_NUMBER_CEILING = env_int(
    "CHALLENGE_MAX_NUMBER_CEILING", default=100_000, minimum=CHALLENGE_MAX_NUMBER
)
CHALLENGE_WAIT_SECONDS_CEILING = env_int(
    "CHALLENGE_WAIT_SECONDS_CEILING", default=60, minimum=CHALLENGE_WAIT_SECONDS
)
# An attack: this many booking attempts in the clock hour, and this many
# times the same hour's normal number of online bookings. Then every online
# booking is confirmed by a code, and managers see an alert.
ATTACK_AFTER_BOOKINGS_PER_HOUR = env_int("ATTACK_AFTER_BOOKINGS_PER_HOUR", default=100)
ATTACK_TIMES_NORMAL = env_int("ATTACK_TIMES_NORMAL", default=5, minimum=1)
# A time held until the citizen types the code sent by SMS
# (skranke/booking/holds.py): how long, how many codes one hold may get
# (the first and one asked for again), how many wrong codes before the
# time is let go, how many codes one number gets in an hour, and the share
# of a day's times of an errand that unconfirmed holds may hold at once.
BOOKING_HOLD_MINUTES = env_int("BOOKING_HOLD_MINUTES", default=10, minimum=1)
HOLD_CODES_PER_HOLD = env_int("HOLD_CODES_PER_HOLD", default=2, minimum=1)
HOLD_CODE_TRIES = env_int("HOLD_CODE_TRIES", default=5, minimum=1)
RATE_LIMIT_HOLD_CODES_PER_PHONE_PER_HOUR = env_int(
    "RATE_LIMIT_HOLD_CODES_PER_PHONE_PER_HOUR", default=6, minimum=1
)
HOLDS_PERCENT_OF_A_DAY = env_int("HOLDS_PERCENT_OF_A_DAY", default=5, minimum=1)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # the link in the e-mail works for two hours

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "borgerservice@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Messages to citizens (skranke/notifications) --------------------------
# Where text messages and e-mails go: "console" prints them, "file" writes
# them to MESSAGE_OUTBOX_DIR; "gatewayapi" sends text messages, "email"
# sends e-mail through the EMAIL_* settings above.
SMS_TRANSPORT = os.environ.get("SMS_TRANSPORT", "console")
EMAIL_TRANSPORT = os.environ.get("EMAIL_TRANSPORT", "email" if PRODUCTION else "console")
if SMS_TRANSPORT not in ("console", "file", "gatewayapi"):
    raise ImproperlyConfigured("SMS_TRANSPORT must be 'console', 'file' or 'gatewayapi'.")
if EMAIL_TRANSPORT not in ("console", "file", "email"):
    raise ImproperlyConfigured("EMAIL_TRANSPORT must be 'console', 'file' or 'email'.")
# "console" and "file" put citizens' messages in the log or on disk:
# production refuses them (skranke.E010) unless this says it is a test.
ALLOW_PRINTING_MESSAGES_IN_PRODUCTION = env_bool(
    "ALLOW_PRINTING_MESSAGES_IN_PRODUCTION", default=False
)
# What text messages may cost (skranke/rate_limits/text_messages.py): at most
# this many confirmations to one number a day, this many messages an hour in
# all (the rest wait for the next hour), and none abroad unless allowed.
SMS_CONFIRMATIONS_PER_PHONE_PER_DAY = env_int("SMS_CONFIRMATIONS_PER_PHONE_PER_DAY", default=3)
SMS_PER_HOUR = env_int("SMS_PER_HOUR", default=500)
SMS_TO_FOREIGN_NUMBERS = env_bool("SMS_TO_FOREIGN_NUMBERS", default=False)
MESSAGE_OUTBOX_DIR = os.environ.get("MESSAGE_OUTBOX_DIR", str(BASE_DIR / "var" / "outbox"))
MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MESSAGE_MAX_ATTEMPTS", "10"))
MESSAGE_RETRY_SECONDS = float(os.environ.get("MESSAGE_RETRY_SECONDS", "30"))
# A message still held or waiting this long after it was due is given up
# (skranke/notifications/too_late.py), so that no recipient is kept for ever.
MESSAGE_GIVE_UP_HOURS = env_int("MESSAGE_GIVE_UP_HOURS", default=48)
# A message claimed this long ago by a worker that then went silent is
# looked at again (notifications/delivery.py): well past the provider's own
# time limit (GATEWAYAPI_TIMEOUT_SECONDS), so a slow send is never taken for
# a stranded one, and soon enough that a killed worker's message goes out
# within two minutes.
MESSAGE_SENDING_TIMEOUT_SECONDS = float(os.environ.get("MESSAGE_SENDING_TIMEOUT_SECONDS", "90"))
# Messages sent at once per channel by each worker (skranke/notifications/
# delivery.py): a slow provider's answers overlap. On SQLite, with one
# writer at a time, one.
MESSAGE_SENDING_THREADS = env_int("MESSAGE_SENDING_THREADS", default=1 if SQLITE else 4, minimum=1)
GATEWAYAPI_URL = os.environ.get("GATEWAYAPI_URL", "https://gatewayapi.com/rest/mtsms")
GATEWAYAPI_TOKEN = os.environ.get("GATEWAYAPI_TOKEN", "")
GATEWAYAPI_TIMEOUT_SECONDS = float(os.environ.get("GATEWAYAPI_TIMEOUT_SECONDS", "10"))
# Up to 11 letters and digits, shown as the sender of the text message.
GATEWAYAPI_SENDER = os.environ.get("GATEWAYAPI_SENDER", "Kommunen")[:11]
# The secret GatewayAPI signs its status reports with (a webhook's JWT).
GATEWAYAPI_WEBHOOK_SECRET = os.environ.get("GATEWAYAPI_WEBHOOK_SECRET", "")
if SMS_TRANSPORT == "gatewayapi" and not (GATEWAYAPI_TOKEN and GATEWAYAPI_WEBHOOK_SECRET):
    raise ImproperlyConfigured(
        "SMS_TRANSPORT=gatewayapi needs GATEWAYAPI_TOKEN and GATEWAYAPI_WEBHOOK_SECRET."
    )
# An HMAC key a captured status report cannot be brute-forced back to.
if PRODUCTION and SMS_TRANSPORT == "gatewayapi" and len(GATEWAYAPI_WEBHOOK_SECRET) < 32:
    raise ImproperlyConfigured(
        "GATEWAYAPI_WEBHOOK_SECRET must be at least 32 characters in production "
        "(e.g. the output of `openssl rand -base64 32`)."
    )

# --- The shared mailbox (skranke/inquiries, docs/inquiries.md) -------------
# How often the worker reads each municipality's mailbox, in seconds, and
# how long it waits before trying a mailbox again that could not be read.
MAILBOX_READ_SECONDS = env_int("MAILBOX_READ_SECONDS", default=60, minimum=5)
MAILBOX_RETRY_SECONDS = env_int("MAILBOX_RETRY_SECONDS", default=300, minimum=5)
# A mailbox watched with IDLE is looked in all the same this often, in case
# the server failed to tell.
MAILBOX_IDLE_READ_SECONDS = env_int("MAILBOX_IDLE_READ_SECONDS", default=900, minimum=5)
# Files that come with a citizen's mail are listed by name and size; they
# are kept (in the database, erased with the inquiry) only if this allows,
# and only up to the size cap each. A mail larger than MAILBOX_MAIL_MAX_BYTES
# is kept as far as the cap, and says so.
INQUIRY_ATTACHMENTS_KEPT = env_bool("INQUIRY_ATTACHMENTS_KEPT", default=False)
INQUIRY_ATTACHMENT_MAX_BYTES = env_int("INQUIRY_ATTACHMENT_MAX_BYTES", default=10_000_000)
MAILBOX_MAIL_MAX_BYTES = env_int("MAILBOX_MAIL_MAX_BYTES", default=25_000_000)
# The mail servers' certificates are checked against the system's
# authorities, or against this file's (a municipality's own authority).
MAILBOX_CA_FILE = os.environ.get("MAILBOX_CA_FILE", "")

ADMINS = [("Skranke", address) for address in env_list("ADMINS")]
# The error reports mailed to ADMINS leave out citizens' data (see the module).
DEFAULT_EXCEPTION_REPORTER = "skranke.web.error_reports.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "skranke.web.error_reports.PrivateExceptionReporterFilter"

# --- Monitoring (docs/monitoring.md) ---------------------------------------
# The bearer token Prometheus sends for /metrics; without one, /metrics
# does not exist (404).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters long.")

# --- Logging ----------------------------------------------------------------
# Plain lines on stderr, for journald or the app server's log; LOG_FORMAT=json
# writes one JSON object per line instead, for a log collector
# (skranke/monitoring/json_logs.py), with a line per request in place of
# gunicorn's access log. Never a query string.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or "plain"
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'.")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "skranke.monitoring.json_logs.JsonFormatter"},
    },
    "filters": {"no_query_strings": {"()": "skranke.monitoring.json_logs.WithoutQueryStrings"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["no_query_strings"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING" if PRODUCTION else "INFO"},
        "skranke.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        # Every sign-in at INFO; failures and lockouts are WARNINGs.
        "axes": {"level": "WARNING"},
        # The PDF library reports every step of every page at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
