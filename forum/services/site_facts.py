"""The operator's facts (Impressum, Kontakt, accessibility statement) and the sign-language
video: admins enter them, the legal pages are written from them (services/legal_pages.py)."""

import secrets
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import permissions
from ..enums import AuditAction
from ..extensions import db
from ..labels import SITE_FACTS as FACTS
from ..models import SiteSetting, User, utcnow
from ..site_pages import SIGN_FACTS
from . import ServiceError, audit

# the video formats the browsers' own players play, by the file's ending
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


def facts() -> dict[str, str]:
    """Every fact by key; an empty string where nothing is entered (one query)."""
    stored = {row.key: row.value for row in db.session.scalars(select(SiteSetting))}
    return {key: stored.get(key, "") for key in (*FACTS, *SIGN_FACTS)}


def fact_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _store(values: dict[str, str]) -> dict[str, list[str]]:
    """Write the values; returns {key: [old, new]} for what changed (not yet committed)."""
    stored = {row.key: row for row in db.session.scalars(
        select(SiteSetting).where(SiteSetting.key.in_(values)))}
    changes = {}
    for key, value in values.items():
        row = stored.get(key)
        old = row.value if row else ""
        if old == value:
            continue
        if row is None:
            db.session.add(SiteSetting(key=key, value=value, updated_at=utcnow()))
        else:
            row.value, row.updated_at = value, utcnow()
        changes[key] = [old, value]
    return changes


def update_facts(actor: User, values: dict[str, str]) -> None:
    permissions.check("admin.access", actor)
    unknown = set(values) - set(FACTS)
    if unknown:
        raise ValueError(f"no such facts: {sorted(unknown)}")
    changes = _store({key: (value or "").strip() for key, value in values.items()})
    if changes:
        audit.record(actor, AuditAction.SITE_FACTS, SiteSetting(), "", changes)
    db.session.commit()


# --- the video in Deutscher Gebärdensprache ----------------------------------------------

def media_dir() -> Path:
    path = Path(current_app.config["MEDIA_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def media_file(name: str) -> Path | None:
    """A stored media file by its stored name (never a path a visitor chose)."""
    current = facts()
    if name not in (current["sign_video"], current["sign_captions"]) or not name:
        return None
    path = media_dir() / name
    return path if path.is_file() else None


def _ending(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def set_sign_video(actor: User, video, captions, transcript: str) -> None:
    """Store a new video (mp4 or webm) with its WebVTT captions and transcript; `video` and
    `captions` are uploaded files (werkzeug FileStorage), either may be None to keep the old
    one. A video needs captions."""
    permissions.check("admin.access", actor)
    current = facts()
    values = {"sign_transcript": transcript.strip()}
    if video is not None:
        ending = _ending(video.filename or "")
        if ending not in VIDEO_TYPES:
            raise ServiceError(_("Bitte laden Sie ein Video als MP4- oder WebM-Datei hoch."),
                               field="video")
    if captions is not None:
        head = captions.stream.read(16)
        captions.stream.seek(0)
        is_vtt = head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")
        if _ending(captions.filename or "") != "vtt" or not is_vtt:
            raise ServiceError(_("Bitte laden Sie die Untertitel als WebVTT-Datei (.vtt, "
                                 "beginnt mit „WEBVTT“) hoch."), field="captions")
    if video is None and not current["sign_video"]:
        raise ServiceError(_("Bitte wählen Sie eine Videodatei aus."), field="video")
    if captions is None and not current["sign_captions"]:
        raise ServiceError(_("Ein Video braucht Untertitel: bitte wählen Sie eine "
                             "WebVTT-Datei aus."), field="captions")
    if not values["sign_transcript"]:
        raise ServiceError(_("Bitte geben Sie das Transkript des Videos ein."),
                           field="transcript")
    if video is not None:
        ending = _ending(video.filename)
        name = f"dgs-{secrets.token_hex(8)}.{ending}"
        video.save(media_dir() / name)
        values.update(sign_video=name, sign_video_type=VIDEO_TYPES[ending])
    if captions is not None:
        name = f"dgs-{secrets.token_hex(8)}.vtt"
        captions.save(media_dir() / name)
        values["sign_captions"] = name
    changes = _store(values)
    if changes:
        audit.record(actor, AuditAction.SIGN_VIDEO, SiteSetting(), "", {
            key: change for key, change in changes.items() if key != "sign_transcript"} | (
            {"sign_transcript": ["…", "…"]} if "sign_transcript" in changes else {}))
    db.session.commit()
    for key in ("sign_video", "sign_captions"):  # the replaced files go after the commit
        old = current[key]
        if old and values.get(key, old) != old:
            (media_dir() / old).unlink(missing_ok=True)

