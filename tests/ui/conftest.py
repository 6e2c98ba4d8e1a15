"""People for the window tests: a data dir with an administrator (the first account must be
one), a clerk at the settings' window, a supervisor and a chief representative; the catalog
imported by the administrator through the service, as the window itself would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hallclient.core.catalog_format import load_catalog_file
from hallclient.services import accounts, catalog
from hallclient.services.accounts import SignedIn
from hallclient.workspace import Workspace

PASSWORD = "chuangkou-123"
PEOPLE = {
    "admin": ("系统管理员", ["admin"], []),
    "lisi": ("李四", ["clerk"], []),
    "wangfang": ("王芳", ["clerk"], []),
    "zhaoyun": ("赵云", ["supervisor"], []),
}


def add_people(workspace: Workspace, logins: tuple[str, ...] = tuple(PEOPLE)) -> None:
    ctx = workspace.services
    admin = None
    for login in logins:
        name, roles, departments = PEOPLE[login]
        result = accounts.add_user(ctx, admin, login, name=name, roles=roles, departments=departments,
                                   password=PASSWORD)
        if admin is None:
            admin = accounts.actor_of(result.value, ctx.window_number)


def sign_in(workspace: Workspace, login: str) -> SignedIn:
    return accounts.sign_in(workspace.services, login, PASSWORD)


@pytest.fixture
def people_dir(data_dir: Path, catalog_file: Path) -> Path:
    """A data dir whose window (1) has its people and the small catalog."""
    workspace = Workspace(data_dir)
    try:
        add_people(workspace)
        admin = sign_in(workspace, "admin").actor
        catalog.replace_catalog(workspace.services, admin, load_catalog_file(catalog_file))
    finally:
        workspace.close()
    return data_dir


@pytest.fixture
def people_workspace(people_dir: Path) -> Iterator[Workspace]:
    workspace = Workspace(people_dir)
    yield workspace
    workspace.close()
