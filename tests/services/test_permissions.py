"""Every row of the permission table, refused at the service layer with the role named."""

from __future__ import annotations

from datetime import date

import pytest

from hallclient.core.permissions import Action, PermissionDenied
from hallclient.services import audit, cases, catalog
from hallclient.store.cases_repo import CaseFilter
from tests.conftest import small_catalog
from tests.services.conftest import CLINIC, FOOD, ID_NUMBER, MARKET, PHONE, Hall, accept

TODAY = date(2026, 9, 28)


def test_a_clerk_accepts_and_the_case_is_theirs(hall: Hall) -> None:
    case = accept(hall, hall.clerk3)
    assert case.window_number == "3" and case.clerk_name == "李三"
    assert case.applicant.id_number == ID_NUMBER


@pytest.mark.parametrize("who", ["supervisor", "proxy", "chief_market", "admin"])
def test_only_a_clerk_accepts(hall: Hall, who: str) -> None:
    with pytest.raises(PermissionDenied, match="不能受理办件：需要窗口受理人员权限") as refused:
        accept(hall, getattr(hall, who))
    assert refused.value.action is Action.CASE_CREATE


def test_a_clerk_reads_and_changes_only_their_windows_cases(hall: Hall) -> None:
    case7 = accept(hall, hall.clerk7, name="王五")
    case3 = accept(hall, hall.clerk3)
    listed = cases.list_cases(hall.ctx, hall.clerk3, CaseFilter(), TODAY)
    assert [c.uuid for c in listed] == [case3.uuid]
    with pytest.raises(PermissionDenied, match="7 号窗口"):
        cases.load_case(hall.ctx, hall.clerk3, case7.uuid)
    with pytest.raises(PermissionDenied, match="不能退件：需要7 号窗口的窗口受理人员权限"):
        cases.return_case(hall.ctx, hall.clerk3, case7.uuid, "申请人撤回")
    with pytest.raises(PermissionDenied, match="不能打印文书"):
        cases.record_print(hall.ctx, hall.clerk3, case7.uuid, "acceptance", reprint=False)
    assert cases.return_case(hall.ctx, hall.clerk7, case7.uuid, "申请人撤回").value.return_reason == "申请人撤回"


def test_a_chief_representative_reads_their_departments_only(hall: Hall) -> None:
    food = accept(hall, hall.clerk3, FOOD)
    clinic = accept(hall, hall.clerk3, CLINIC, name="王五")
    assert [c.uuid for c in cases.list_cases(hall.ctx, hall.chief_market, CaseFilter(), TODAY)] == [food.uuid]
    assert [c.uuid for c in cases.list_cases(hall.ctx, hall.chief_health, CaseFilter(), TODAY)] == [clinic.uuid]
    with pytest.raises(PermissionDenied):
        cases.load_case(hall.ctx, hall.chief_market, clinic.uuid)
    assert cases.load_case(hall.ctx, hall.chief_market, food.uuid).applicant.id_number == ID_NUMBER


def test_a_supervisor_reads_everything_masked_and_changes_nothing(hall: Hall) -> None:
    accept(hall, hall.clerk7)
    case = accept(hall, hall.clerk3)
    seen = cases.list_cases(hall.ctx, hall.supervisor, CaseFilter(), TODAY)
    assert len(seen) == 2
    shown = cases.load_case(hall.ctx, hall.supervisor, case.uuid).applicant
    assert shown.id_number != ID_NUMBER and shown.id_number.startswith("1101") and "*" in shown.id_number
    assert shown.phone != PHONE and "*" in shown.phone
    with pytest.raises(PermissionDenied, match="不能退件：需要窗口受理人员权限"):
        cases.return_case(hall.ctx, hall.supervisor, case.uuid, "x")


def test_a_proxy_reads_no_case(hall: Hall) -> None:
    case = accept(hall, hall.clerk3)
    with pytest.raises(PermissionDenied, match="不能查看办件"):
        cases.list_cases(hall.ctx, hall.proxy, CaseFilter(), TODAY)
    with pytest.raises(PermissionDenied):
        cases.find_case(hall.ctx, hall.proxy, case.case_number)


def test_approval_names_the_chief_of_the_department(hall: Hall) -> None:
    from hallclient.core.permissions import require

    with pytest.raises(PermissionDenied, match=f"不能审批：需要首席代表（{MARKET}）权限"):
        require(hall.clerk3, Action.CASE_APPROVE, departments=[MARKET])
    with pytest.raises(PermissionDenied, match=f"不能审批：需要首席代表（{MARKET}）权限"):
        require(hall.chief_health, Action.CASE_APPROVE, departments=[MARKET])
    require(hall.chief_market, Action.CASE_APPROVE, departments=[MARKET])


@pytest.mark.parametrize("who", ["clerk3", "supervisor", "chief_market", "proxy"])
def test_only_an_administrator_replaces_the_catalog(hall: Hall, who: str) -> None:
    from hallclient.core.catalog_format import parse_catalog

    with pytest.raises(PermissionDenied, match="不能维护事项清单：需要系统管理员权限"):
        catalog.replace_catalog(hall.ctx, getattr(hall, who), parse_catalog(small_catalog()))


@pytest.mark.parametrize("who", ["clerk3", "chief_market", "proxy"])
def test_the_audit_is_read_by_the_supervisor_and_administrator_only(hall: Hall, who: str) -> None:
    with pytest.raises(PermissionDenied, match="不能查看审计日志：需要大厅管理人员或系统管理员权限"):
        audit.list_records(hall.ctx, getattr(hall, who), audit.AuditFilter())
    rows = audit.list_records(hall.ctx, hall.supervisor, audit.AuditFilter(kind="sign_in")).value
    assert {r["actor"] for r in rows} >= {"clerk3", "supervisor"}
    # reading was itself recorded
    last = audit.list_records(hall.ctx, hall.admin, audit.AuditFilter(limit=1)).value[0]
    assert last["kind"] == "audit_read" and last["actor"] == "supervisor"


def test_personal_data_never_reaches_the_database_files(hall: Hall) -> None:
    for name in ("张三", "王五", "赵六"):
        accept(hall, hall.clerk3, name=name)
    path = hall.workspace.store.path
    assert path is not None
    files = [p for p in path.parent.glob(path.name + "*") if p.suffix != ".bak"]
    assert any(p.name.endswith("-wal") for p in files), "the WAL is scanned too"
    for file in files:
        raw = file.read_bytes()
        for secret in (ID_NUMBER, PHONE, ID_NUMBER.lower()):
            assert secret.encode() not in raw, f"{secret} in {file.name}"
    # and the cases are still found by the whole ID number
    assert len(cases.list_cases(hall.ctx, hall.clerk3, CaseFilter(text=ID_NUMBER), TODAY)) == 3
