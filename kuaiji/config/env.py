"""Every setting Kuaiji reads from the environment, declared once with type, default and doc.

`docs/configuration.md` is generated from these declarations (`kuaiji config --doc`) and a
test keeps the two equal. Nested models are read from variables joined with ``__``,
for example ``KUAIJI_CITY__NAME=杭州市``, or as one JSON value in ``KUAIJI_CITY``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_DIR = Path(__file__).resolve().parents[2]

CommaList = Annotated[list[str], NoDecode]


class CityBranding(BaseModel):
    """How the deployment names its city and its two terminals, in both languages."""

    name: str = Field("绍兴市", description="City name in Chinese.")
    name_en: str = Field("Shaoxing", description="City name in English.")
    service_front: str = Field(
        "绍兴办事", description="Name of the service front (citizens and enterprises)."
    )
    service_front_en: str = Field("Shaoxing Services", description="Service front name in English.")
    work_front: str = Field("绍兴政务", description="Name of the work front (government staff).")
    work_front_en: str = Field("Shaoxing Gov Work", description="Work front name in English.")
    division_code: str = Field(
        "330600", description="GB/T 2260 code of the city's administrative division."
    )


class KuaijiEnv(BaseSettings):
    """The environment of one Kuaiji deployment."""

    model_config = SettingsConfigDict(
        env_nested_delimiter="__", extra="ignore", case_sensitive=False
    )

    KUAIJI_PRODUCTION: bool = Field(
        False,
        description="Production mode: SECRET_KEY and ALLOWED_HOSTS are required, cookies are "
        "secure, the demo loader refuses to run.",
    )
    KUAIJI_DEBUG: bool = Field(False, description="Django debug pages (never in production).")
    KUAIJI_DATA_DIR: Path = Field(
        Path("data"),
        description="Folder for the SQLite database, the generated secret key, uploads and "
        "collected static files; relative paths are taken from the working directory.",
    )
    DATABASE_URL: str = Field(
        "",
        description="Database URL, e.g. postgresql://user@127.0.0.1:5432/kuaiji; empty means a "
        "SQLite file `kuaiji.sqlite3` in KUAIJI_DATA_DIR.",
    )
    REDIS_URL: str = Field(
        "",
        description="Redis URL for the Celery broker, e.g. redis://127.0.0.1:6379/0; empty means "
        "background tasks and periodic jobs run in-process.",
    )
    SECRET_KEY: str = Field(
        "",
        description="Django secret key; empty outside production means one is generated once "
        "and kept in KUAIJI_DATA_DIR/secret_key.",
    )
    ALLOWED_HOSTS: CommaList = Field(
        ["127.0.0.1", "localhost", "[::1]"],
        description="Comma-separated host names the server answers for.",
    )
    CSRF_TRUSTED_ORIGINS: CommaList = Field(
        [],
        description="Comma-separated origins (scheme and host) trusted for forms behind a proxy.",
    )
    TIME_ZONE: str = Field("Asia/Shanghai", description="Time zone of dates shown and scheduled.")
    LANGUAGE_CODE: Literal["zh-hans", "en"] = Field(
        "zh-hans", description="Language of every screen until a user chooses another."
    )
    KUAIJI_CITY: CityBranding = Field(
        default_factory=CityBranding,
        description="Branding of the city and its fronts.",
    )
    KUAIJI_NODE_MODULES: Path = Field(
        REPO_DIR / "node_modules",
        description="Where `npm ci` installed the front-end packages served as static files.",
    )
    KUAIJI_KEYS_FILE: Path | None = Field(
        None,
        description="JSON file of the keys for personal data (SM4), blind indexes and the audit "
        "chain (HMAC-SM3); empty means KUAIJI_DATA_DIR/keys.json, generated once outside "
        "production. Keep it out of the database backups.",
    )
    KUAIJI_OIDC_KEY_FILE: Path | None = Field(
        None,
        description="PEM file of the RSA private key that signs OpenID Connect ID tokens (RS256); "
        "empty means KUAIJI_DATA_DIR/oidc-rsa.pem, generated once outside production and "
        "required in production. Keep it out of the database backups.",
    )
    KUAIJI_SESSION_IDLE_MINUTES: int = Field(
        30, gt=0, le=24 * 60, description="Minutes without a request after which a session ends."
    )
    KUAIJI_RATE_ANONYMOUS_PER_MINUTE: int = Field(
        300, gt=0, description="Requests a minute one address may make without signing in."
    )
    KUAIJI_RATE_SENSITIVE_PER_MINUTE: int = Field(
        10,
        gt=0,
        description="Sign-in, registration and token form posts a minute from one address.",
    )
    KUAIJI_WORKING_HOURS: str = Field(
        "08:30-12:00,13:30-17:30",
        pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}(,\d{2}:\d{2}-\d{2}:\d{2})*$",
        description="Office hours of a working day, for time limits counted in working hours.",
    )
    KUAIJI_SLA_YELLOW_SHARE: float = Field(
        0.8,
        gt=0,
        lt=1,
        description="Share of a task's time limit after which its light turns yellow.",
    )
    KUAIJI_SUPERVISION_SECONDS: int = Field(
        300,
        ge=10,
        description="Seconds between runs of the chains' supervision job (timers, reminders, "
        "escalation of overdue tasks).",
    )
    KUAIJI_TRIAGE_MIN_CONFIDENCE: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Events the triage model classifies with less confidence than this go to "
        "the county centre's manual triage queue.",
    )
    KUAIJI_DUPLICATE_METRES: int = Field(
        150,
        gt=0,
        description="An open event of the same category this close to a new one is suggested "
        "as its duplicate...",
    )
    KUAIJI_DUPLICATE_HOURS: int = Field(
        72, gt=0, description="...if it was reported within this many hours before it."
    )
    KUAIJI_IMPORT_MAX_BYTES: int = Field(
        20 * 1024 * 1024,
        gt=0,
        description="Largest file accepted by the directory imports, in bytes; an XLSX may "
        "unpack to ten times this.",
    )
    KUAIJI_IMPORT_MAX_ROWS: int = Field(
        100_000, gt=0, description="Most rows (or GeoJSON features) one import file may hold."
    )
    KUAIJI_DATA_API_RATE_PER_MINUTE: int = Field(
        600,
        gt=0,
        description="Requests a minute the data API answers for one consumer department.",
    )
    KUAIJI_DATA_QUALITY_THRESHOLD: float = Field(
        80,
        ge=0,
        le=100,
        description="A data resource scoring below this (0–100) in its quality check gets a "
        "rectification chain in its owning department's worklist.",
    )
    KUAIJI_LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Lowest level of log records written to standard error."
    )

    @field_validator("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def data_dir(self) -> Path:
        """The data folder as an absolute path."""
        return self.KUAIJI_DATA_DIR.resolve()


SECRET_FIELDS = frozenset({"SECRET_KEY"})


def secret_key(env: KuaijiEnv) -> str:
    """SECRET_KEY, or outside production a key generated once into the data folder."""
    if env.SECRET_KEY:
        return env.SECRET_KEY
    if env.KUAIJI_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production mode.")
    key_file = env.data_dir / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def load() -> KuaijiEnv:
    """Read the environment (raises pydantic.ValidationError on a malformed value)."""
    return KuaijiEnv()


def _rows(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.append((prefix + name, "JSON object", "see below", field.description or ""))
            rows.extend(_rows(annotation, prefix=f"{prefix}{name}__".upper()))
            continue
        default = field.get_default(call_default_factory=True)
        if isinstance(default, Path) and default.is_absolute():
            shown = f"`{default.relative_to(REPO_DIR)}` in the checkout"
        elif isinstance(default, list):
            shown = f"`{','.join(default)}`" if default else "(empty)"
        elif default in ("", None):
            shown = "(empty)"
        else:
            shown = f"`{default}`"
        if get_origin(annotation) is Literal:
            kind = "one of " + ", ".join(f"`{choice}`" for choice in get_args(annotation))
        else:
            kind = getattr(annotation, "__name__", str(annotation))
        if name in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
            kind = "comma list"
        rows.append(((prefix + name).upper(), kind, shown, field.description or ""))
    return rows


def markdown() -> str:
    """The configuration reference, as written to docs/configuration.md."""
    lines = [
        "# Configuration",
        "",
        "Kuaiji reads its settings from the environment only. This page is generated from",
        "`kuaiji/config/env.py` by `kuaiji config --doc > docs/configuration.md`; a test keeps",
        "it in step. Nested settings take `__` between the parts, or one JSON value.",
        "",
        "| variable | type | default | meaning |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{n}` | {t} | {d} | {m} |" for n, t, d, m in _rows(KuaijiEnv)]
    return "\n".join(lines) + "\n"


def hide_password(url: str) -> str:
    """The URL with any password replaced by ``***``, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
