"""One settings module, driven by environment variables with safe defaults so a fresh clone runs."""

import ipaddress
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from inclusion.database import database_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable; a typo such as DEBUG=ture stops the start instead of silently meaning False."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value not in TRUE_WORDS + FALSE_WORDS:
        raise ImproperlyConfigured(
            f"{name}={raw!r} n'est pas un booléen : utilisez l'une des valeurs {', '.join(TRUE_WORDS + FALSE_WORDS)}."
        )
    return value in TRUE_WORDS


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The development key only works with DEBUG on. Without DEBUG a key must be given: a key drawn at start would
# differ between workers and restarts, and sessions, CSRF tokens and password-reset links would break.
# `make` keeps one in var/secret-key (so does manage.py for local commands); tests set theirs in tests/settings.py.
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY manquant : définissez la variable d'environnement SECRET_KEY (au moins 50 caractères "
        "aléatoires), ou DEBUG=true pour un poste de développement."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django_filters",
    "ninja",  # the open API (actors/api); its static files serve the API's documentation page
    "leaflet",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "territories",
    "actors",
]

MIDDLEWARE = [
    "inclusion.bodylimit.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "inclusion.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "inclusion.twofactor.AdminTwoFactorGate",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "actors.timelimit.QueryTimeLimitMiddleware",
    "actors.models.version.DataVersionOncePerRequest",
]

ROOT_URLCONF = "inclusion.urls"
WSGI_APPLICATION = "inclusion.wsgi.application"

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
                "inclusion.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", "spatialite:///var/db.sqlite3"), BASE_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SPATIALITE_LIBRARY_PATH = os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "inclusion",
    }
}

# Background work (large imports, export files, e-mail campaigns): a database queue, no broker.
# `make run` starts the worker (`manage.py db_worker`) beside the web server. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production sets STATIC_MANIFEST=true and runs collectstatic: hashed, compressed, cached forever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

LOGIN_URL = "admin:login"

# Security: secure by default behind HTTPS, relaxed only when DEBUG is on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None

# Map tiles: URL and attribution are settings so a territory can use its own tile server.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "TILES": [(_("Plan"), MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 19})],
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
}

# Map data responses: browsers and the server cache keep them this long (an edit shows up within it).
MAP_CACHE_SECONDS = int(os.environ.get("MAP_CACHE_SECONDS", "60"))
# The places' positions and each filter set's ids, per data version (actors/map/grid.py): an edit changes the
# version, so it shows at once; this only bounds how long unused entries stay.
MAP_PLACES_SECONDS = int(os.environ.get("MAP_PLACES_SECONDS", "3600"))

# Content-Security-Policy: tiles may come from the configured tile host only.
CSP_IMG_SRC = env_list("CSP_IMG_SRC", "'self',data:,https://*.tile.openstreetmap.org,https://tile.openstreetmap.org")

# Product settings.
# « Près de » an address: a geocoder answering like the national address API (api-adresse.data.gouv.fr/search/);
# empty: offline, an address is placed at its commune's centre.
GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
GEOCODER_TIMEOUT_SECONDS = float(os.environ.get("GEOCODER_TIMEOUT_SECONDS", "2"))
STALE_AFTER_DAYS = int(os.environ.get("STALE_AFTER_DAYS", "365"))
SITE_NAME = os.environ.get("SITE_NAME", "Annuaire de l'inclusion numérique")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Debian 12 ships GDAL 3.6; the check only asks for 3.9+ hardening, which the OS cannot offer yet.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# No GET request holds a worker longer than this: its queries are then interrupted and the page says the
# search was too broad (actors/timelimit.py). 0 turns the limit off.
QUERY_TIME_LIMIT_SECONDS = float(os.environ.get("QUERY_TIME_LIMIT_SECONDS", "5"))
# Benchmark only (`make bench`): an X-Queries header with the number of SQL queries of each response.
if env_bool("QUERY_COUNT_HEADER", False):
    MIDDLEWARE.insert(0, "inclusion.querycount.QueryCountMiddleware")

# The directory's result and facet counts are cached per filter set and data version (an edit changes the
# version, so it shows at once); this only bounds how long unused entries stay.
LIST_COUNTS_SECONDS = int(os.environ.get("LIST_COUNTS_SECONDS", "3600"))

# The directory's place index (actors/index/): each process keeps the public places as bitmaps per data version,
# so a filtered list's count, facets and page cost set operations. false: every answer from the SQL conditions.
PLACE_INDEX = env_bool("PLACE_INDEX", True)
# Built in a thread of each worker after a data change (requests answer from SQL meanwhile); false: in the request.
PLACE_INDEX_IN_BACKGROUND = env_bool("PLACE_INDEX_IN_BACKGROUND", True)

# Whole anonymous public pages (lists, places, map data, territory pages) served from the cache, keyed by
# URL, language and data version (inclusion/pagecache.py); this bounds how late an opening status may be.
# 0 turns it off. PAGE_CACHE_BYPASS_HEADER=true (benchmark only) honours `X-Page-Cache: bypass`.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_BYPASS_HEADER = env_bool("PAGE_CACHE_BYPASS_HEADER", False)

# The national export files (built in the background after data changes). With several app servers,
# a folder they all see (a shared volume), or each server's worker builds its own copy.
EXPORTS_ROOT = Path(os.environ.get("EXPORTS_ROOT", str(BASE_DIR / "var" / "exports")))

# Compressed HTML, JSON and CSV (Django's GZip middleware, with its BREACH mitigation); the national
# export files are stored compressed and pass through untouched.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "django.middleware.gzip.GZipMiddleware")

# Several app servers: a shared cache (map cells, list counts, data version stay consistent across servers)
# and read replicas of the PostgreSQL primary, both from the environment.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "inclusion"),
        }
    }
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", "")
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    # Tests run against the primary alone: a replica mirrors it.
    DATABASES[f"replica{_number}"] = {**database_from_url(_url, BASE_DIR), "TEST": {"MIRROR": "default"}}
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["inclusion.routers.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
                      "inclusion.routers.PrimaryReadsMiddleware")
# The visitor's address. Behind a reverse proxy REMOTE_ADDR is the proxy's: name the header it sets
# (X-Forwarded-For, X-Real-IP…) and how many proxies of yours append to it; otherwise leave it empty.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
CLIENT_IP_PROXY_COUNT = int(os.environ.get("CLIENT_IP_PROXY_COUNT", "1"))
# The header is believed only from these addresses (CIDR networks, comma-separated): your proxies'.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1/32,::1/128")
for _cidr in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_cidr, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES : « {_cidr} » n'est ni une adresse IP ni un réseau "
                                   "(exemple : 10.0.0.0/8,192.168.1.2).") from _error

# Sign-in throttling by django-axes, in the database (shared by every worker, kept across restarts): after
# LOGIN_FAILURE_LIMIT failures for one account from one address, that pair waits LOGIN_COOLOFF_MINUTES; after
# LOGIN_ACCOUNT_FAILURE_LIMIT failures for one account from all addresses together, the account waits too,
# except in browsers where it signed in before (known devices, KNOWN_DEVICE_DAYS). Each further round of the
# account limit doubles the wait, up to LOGIN_COOLOFF_MAX_HOURS. Answered with a 429 and a French page.
# See inclusion/throttling.py.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
MIDDLEWARE.append("inclusion.throttling.KnownDeviceMiddleware")
AUTHENTICATION_BACKENDS = ["inclusion.throttling.WebSignInThrottle", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "inclusion.throttling.AccountThrottleHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
LOGIN_COOLOFF_MAX_HOURS = int(os.environ.get("LOGIN_COOLOFF_MAX_HOURS", "24"))
KNOWN_DEVICE_DAYS = int(os.environ.get("KNOWN_DEVICE_DAYS", "365"))
AXES_COOLOFF_TIME = "inclusion.throttling.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "inclusion.clientip.client_ip"
AXES_USERNAME_CALLABLE = "inclusion.throttling.username_of"
AXES_LOCKOUT_CALLABLE = "inclusion.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failures only: successful sign-ins and their addresses are not kept
AXES_VERBOSE = False

# Two-factor sign-in to the admin (inclusion/twofactor.py, django-otp): a staff account that enrolled an
# authenticator app (TOTP) always gives its code after the password; with ADMIN_TOTP_REQUIRED (the default) every
# staff account must enrol before reaching the admin. Each enrolment also gives 10 single-use backup codes.
# `manage.py reset_two_factor EMAIL` removes a coordinator's devices (a lost phone): they enrol again.
ADMIN_TOTP_REQUIRED = env_bool("ADMIN_TOTP_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Annuaire inclusion numérique")
BACKUP_CODES = 10

# Request bodies (inclusion/bodylimit.py): above these sizes a request is refused (413) before its body is read.
# Public forms are small (a correction is at most 5,500 characters); the admin receives import files (20 MB).
PUBLIC_BODY_MAX_BYTES = int(os.environ.get("PUBLIC_BODY_MAX_BYTES", str(64 * 1024)))
ADMIN_BODY_MAX_BYTES = int(os.environ.get("ADMIN_BODY_MAX_BYTES", str(21 * 1024 * 1024)))
# Inside the cap, Django's own: form fields (not files) held in memory, and files kept in memory before disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Open API (actors/api): requests per minute of an anonymous address (a partner key has its own limit).
API_ANONYMOUS_PER_MINUTE = int(os.environ.get("API_ANONYMOUS_PER_MINUTE", "60"))

# Public forms (corrections): at most this many per address and hour, counted in the database.
CORRECTIONS_PER_HOUR = int(os.environ.get("CORRECTIONS_PER_HOUR", "5"))
# Reporters' e-mails are erased once their report is decided, and after this many days in any case
# (`manage.py erase_reporter_emails`, daily from cron).
REPORTER_EMAIL_RETENTION_DAYS = int(os.environ.get("REPORTER_EMAIL_RETENTION_DAYS", "90"))
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # one line per sign-in otherwise

# Private update links of places (/mise-a-jour/<jeton>/): valid this many days, and the page allows this many
# requests per address and hour (counted in the database, like corrections).
UPDATE_LINK_MAX_AGE_DAYS = int(os.environ.get("UPDATE_LINK_MAX_AGE_DAYS", "60"))
UPDATE_PAGE_PER_HOUR = int(os.environ.get("UPDATE_PAGE_PER_HOUR", "30"))
# « Recevoir un nouveau lien » (expired, used or mangled links): this many requests per address and hour.
UPDATE_RENEWALS_PER_HOUR = int(os.environ.get("UPDATE_RENEWALS_PER_HOUR", "5"))

# E-mail (update requests): EMAIL_URL, e.g. smtp://user:password@smtp.example.org:587; by default one file per
# message in var/mail, so `make run` works offline. See inclusion/email.py.
from inclusion.email import email_from_url  # noqa: E402

globals().update(email_from_url(os.environ.get("EMAIL_URL", "file://var/mail"), BASE_DIR))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Annuaire de l'inclusion numérique <annuaire@localhost>")
# The site's public address, for links written in e-mails (no request there to read the host from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Campaign follow-up (actors/campaigns/reminders.py, actors/campaigns/bounces.py): the envelope sender of update
# requests, tagged per request (retours+demande-12.…@example.org) when set; reminders after these numbers of days.
UPDATE_BOUNCE_ADDRESS = os.environ.get("UPDATE_BOUNCE_ADDRESS", "")
UPDATE_REMINDER_DAYS = tuple(int(d) for d in os.environ.get("UPDATE_REMINDER_DAYS", "15,30").split(","))
