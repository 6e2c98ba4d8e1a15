"""The window's settings, changed by a signed-in person and recorded in the audit trail.

Hall settings (the authority that issues the documents, its seal, the case-number pattern, the
legal wording's bodies, the deadlines and sign-in rules) are an administrator's; the window's own (its number, the central's address and token, the idle
lock) may be changed by whoever is signed in here. Either way the change is recorded, naming the
fields, never a token's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from hallclient.core.permissions import Action, Actor, require
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext

# What the documents say and the rules the hall runs by are an administrator's to change.
HALL_FIELDS = frozenset({
    "authority", "seal_name", "case_number_pattern", "progress_url_pattern", "rating_url_pattern",
    "rating_public_url", "decision_number_pattern", "hall_phone", "hall_address", "supervision_phone",
    "reconsideration_body", "court", "tolerance_rules", "commitment_rules", "refusal_other_basis",
    "supplement_ways", "supplement_online", "acceptance_stub", "archive_full_id",
    "signin_max_failures", "signin_lock_minutes", "offline_verifier_days", "prereview_valid_days",
    "rectification_contact_days", "rectification_days", "evaluation_bad_reasons",
    "complaint_days_on_spot", "complaint_days_ordinary", "complaint_days_complex", "complaint_days_max",
    "backup_count", "backup_interval_hours", "backup_dir",
})
SECRET_FIELDS = frozenset({"central_token"})


def update_settings(ctx: ServiceContext, actor: Actor, values: Mapping[str, Any]) -> Result[list[str]]:
    """Apply `values` (field name → new value) to the window's settings and save them.

    Returns the names of the fields that really changed; nothing is written when none did."""
    known = {f.name for f in fields(ctx.settings)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    changed = {k: v for k, v in values.items() if getattr(ctx.settings, k) != v}
    if not changed:
        return Result([], Changes())
    if set(changed) & HALL_FIELDS:
        require(actor, Action.SETTINGS_MANAGE)
    before = {k: getattr(ctx.settings, k) for k in changed}
    for name, value in changed.items():
        setattr(ctx.settings, name, value)
    try:
        if ctx.data_dir is not None:
            ctx.settings.save(ctx.data_dir)
    except OSError:
        for name, value in before.items():  # the file kept the old values: so does the window
            setattr(ctx.settings, name, value)
        raise
    detail = {"fields": sorted(changed),
              "values": {k: v for k, v in changed.items() if k not in SECRET_FIELDS}}
    changes = audit.record(ctx, actor, "settings_changed", detail=detail)
    return Result(sorted(changed), changes.merge(Changes(settings=True)))


def remember_login(ctx: ServiceContext, login: str) -> None:
    """The last person who signed in here, pre-filled next time (never their password)."""
    if ctx.settings.last_login == login:
        return
    ctx.settings.last_login = login
    if ctx.data_dir is not None:
        ctx.settings.save(ctx.data_dir)


FIRST_RUN_FIELDS = frozenset({"window_number", "window_categories", "central_url", "central_token",
                              "central_ca_file", "printer_name", "clerk_name", "last_login"})


class AlreadySetUp(RuntimeError):
    """The first-run wizard was used on a window that already has its settings file."""


def save_first_run(ctx: ServiceContext, actor: Actor | None, values: Mapping[str, Any]) -> Result[list[str]]:
    """The first-run wizard's answers: only a window without a settings file yet, and only the
    window's own fields (the hall settings keep needing an administrator in `update_settings`).
    `actor` is the first administrator just made, or None (a window joining a central: nobody
    has signed in yet). Recorded in the audit trail like any other settings change."""
    from hallclient.settings import SETTINGS_FILENAME

    if ctx.data_dir is not None and (ctx.data_dir / SETTINGS_FILENAME).exists():
        raise AlreadySetUp("本窗口已设置过：请在“设置 → 窗口设置”中修改")
    if set(values) - FIRST_RUN_FIELDS:
        raise ValueError(f"not first-run settings: {sorted(set(values) - FIRST_RUN_FIELDS)}")
    for name, value in values.items():
        setattr(ctx.settings, name, value)
    if ctx.data_dir is not None:
        ctx.settings.save(ctx.data_dir)
    detail = {"fields": sorted(values), "first_run": True,
              "values": {k: v for k, v in values.items() if k not in SECRET_FIELDS}}
    changes = audit.record(ctx, actor, "settings_changed", detail=detail)
    return Result(sorted(values), changes.merge(Changes(settings=True)))
