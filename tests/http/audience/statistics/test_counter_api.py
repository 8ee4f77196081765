"""COUNTER Release 5.1 through the API: reports parse against the standard's header and column layout, each
institution sees only its own usage, and bad requests get COUNTER exceptions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from audience.statistics.counter import HEADER_LABELS
from audience.statistics.counter_api import issue_api_key
from audience.viewing.log import add_to_month
from audience.viewing.models import MonthlyUsage
from cinedoc.kernel import clock
from tests.playback_helpers import make_institution, make_playable_film

NOW = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
MONTHS_2024 = [f"{m}-2024" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                     "Dec")]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def world(db: Session) -> dict[str, Any]:
    lyon = make_institution(db, "Médiathèque de Lyon").institution_id
    brest = make_institution(db, "Bibliothèque de Brest").institution_id
    glaneurs = make_playable_film(db, None, "Les Glaneurs et la Glaneuse")
    soleil = make_playable_film(db, None, "Sans soleil")
    table = MonthlyUsage.__table__  # type: ignore[attr-defined]
    for month, film, count in (("2024-01", glaneurs, 5), ("2024-03", glaneurs, 2), ("2024-03", soleil, 7)):
        add_to_month(db, table, month, lyon, film, {
            "total_item_investigations": count + 1, "total_item_requests": count,
            "unique_item_investigations": count, "unique_item_requests": count - 1, "no_license": 1,
            "limit_exceeded": 2})
    add_to_month(db, table, "2024-03", brest, soleil, {"total_item_requests": 100, "total_item_investigations": 100})
    lyon_keys = issue_api_key(db, lyon)
    brest_keys = issue_api_key(db, brest)
    db.commit()
    return {"lyon": lyon_keys, "brest": brest_keys, "glaneurs": glaneurs, "soleil": soleil}


def ask(client: TestClient, path: str, keys: tuple[str, str], **params: str) -> Any:
    query = {"customer_id": keys[0], "api_key": keys[1], "begin_date": "2024-01-01", "end_date": "2024-12-31"}
    return client.get(f"/r51/{path}", params=query | params)


def parse_tsv(text: str) -> tuple[dict[str, str], list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    assert [row[0] for row in rows[:13]] == list(HEADER_LABELS)
    assert rows[13] == []
    return {row[0]: row[1] for row in rows[:13]}, rows[14], rows[15:]


def test_status_is_public(client: TestClient) -> None:
    response = client.get("/r51/status")
    assert response.status_code == 200
    assert response.json()[0]["Service_Active"] is True


def test_ir_m1_json_reports_the_institutions_films_by_month(client: TestClient, world: dict[str, Any]) -> None:
    response = ask(client, "reports/ir_m1", world["lyon"])
    assert response.status_code == 200, response.text
    report = response.json()
    header = report["Report_Header"]
    assert (header["Release"], header["Report_ID"], header["Report_Name"]) == ("5.1", "IR_M1",
                                                                              "Multimedia Item Requests")
    assert header["Institution_Name"] == "Médiathèque de Lyon"
    assert header["Report_Filters"]["Begin_Date"] == "2024-01-01"
    assert header["Report_Filters"]["Metric_Type"] == ["Total_Item_Requests", "Unique_Item_Requests"]
    by_item = {i["Item"]: i["Attribute_Performance"][0] for i in report["Report_Items"]}
    assert by_item["Les Glaneurs et la Glaneuse"]["Data_Type"] == "Audiovisual"
    assert by_item["Les Glaneurs et la Glaneuse"]["Performance"]["Total_Item_Requests"] == {"2024-01": 5,
                                                                                           "2024-03": 2}
    assert by_item["Sans soleil"]["Performance"]["Total_Item_Requests"] == {"2024-03": 7}  # not Brest's 100


def test_ir_m1_tsv_has_the_standard_header_and_columns(client: TestClient, world: dict[str, Any]) -> None:
    response = ask(client, "reports/ir_m1", world["lyon"], format="tsv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    header, columns, body = parse_tsv(response.text)
    assert header["Report_ID"] == "IR_M1" and header["Release"] == "5.1"
    assert header["Metric_Types"] == "Total_Item_Requests; Unique_Item_Requests"
    assert header["Report_Filters"] == ("Data_Type=Audiovisual|Image|Interactive_Resource|Multimedia|Sound; "
                                        "Access_Method=Regular")
    assert header["Reporting_Period"] == "Begin_Date=2024-01-01; End_Date=2024-12-31"
    assert header["Created"] == "2025-02-10T09:00:00Z"
    assert columns == ["Item", "Publisher", "Publisher_ID", "Platform", "DOI", "Proprietary_ID", "URI", "Data_Type",
                       "Metric_Type", "Reporting_Period_Total", *MONTHS_2024]
    rows = {(r[0], r[8]): r for r in body}
    glaneurs = rows[("Les Glaneurs et la Glaneuse", "Total_Item_Requests")]
    assert glaneurs[9] == "7" and glaneurs[10] == "5" and glaneurs[12] == "2" and glaneurs[7] == "Audiovisual"
    assert rows[("Les Glaneurs et la Glaneuse", "Unique_Item_Requests")][9] == "5"


def test_ir_reports_denials_and_investigations(client: TestClient, world: dict[str, Any]) -> None:
    header, columns, body = parse_tsv(ask(client, "reports/ir", world["lyon"], format="tsv").text)
    assert columns[:13] == ["Item", "Publisher", "Publisher_ID", "Platform", "DOI", "Proprietary_ID", "ISBN",
                            "Print_ISSN", "Online_ISSN", "URI", "Data_Type", "Metric_Type", "Reporting_Period_Total"]
    metrics = {(r[0], r[11]): int(r[12]) for r in body}
    assert metrics[("Sans soleil", "No_License")] == 1
    assert metrics[("Sans soleil", "Limit_Exceeded")] == 2
    assert metrics[("Les Glaneurs et la Glaneuse", "Total_Item_Investigations")] == 6 + 3


def test_pr_p1_sums_the_platform(client: TestClient, world: dict[str, Any]) -> None:
    header, columns, body = parse_tsv(ask(client, "reports/pr_p1", world["lyon"], format="tsv").text)
    assert header["Report_Name"] == "Platform Usage"
    assert header["Metric_Types"] == ("Searches_Platform; Total_Item_Requests; Unique_Item_Requests; "
                                      "Unique_Title_Requests")
    assert columns == ["Platform", "Data_Type", "Metric_Type", "Reporting_Period_Total", *MONTHS_2024]
    totals = {r[2]: r for r in body}
    assert totals["Total_Item_Requests"][3] == "14"
    assert totals["Total_Item_Requests"][4 + 2] == "9"


def test_pr_filters_metrics_and_shows_access_method(client: TestClient, world: dict[str, Any]) -> None:
    response = ask(client, "reports/pr", world["lyon"], metric_type="Total_Item_Requests|Unique_Title_Requests",
                   attributes_to_show="Access_Method", exclude_monthly_details="True", format="tsv")
    header, columns, body = parse_tsv(response.text)
    assert columns == ["Platform", "Data_Type", "Access_Method", "Metric_Type", "Reporting_Period_Total"]
    assert header["Report_Attributes"] == "Attributes_To_Show=Access_Method; Exclude_Monthly_Details=True"
    assert [r[3] for r in body] == ["Total_Item_Requests", "Unique_Title_Requests"]
    assert body[0] == ["cinedoc", "Audiovisual", "Regular", "Total_Item_Requests", "14"]


def test_pr_json_has_one_platform_item(client: TestClient, world: dict[str, Any]) -> None:
    report = ask(client, "reports/pr", world["lyon"]).json()
    performance = report["Report_Items"][0]["Attribute_Performance"][0]["Performance"]
    assert performance["Total_Item_Requests"] == {"2024-01": 5, "2024-03": 9}


def test_members_and_reports_list_only_the_callers_institution(client: TestClient, world: dict[str, Any]) -> None:
    members = ask(client, "members", world["brest"]).json()
    assert [m["Institution_Name"] for m in members] == ["Bibliothèque de Brest"]
    listing = ask(client, "reports", world["lyon"]).json()
    assert {r["Report_ID"] for r in listing} == {"PR", "PR_P1", "IR", "IR_M1"}
    assert listing[0]["First_Month_Available"] == "2024-01"


def test_another_institutions_customer_id_with_my_key_is_refused(client: TestClient,
                                                                 world: dict[str, Any]) -> None:
    response = ask(client, "reports/ir_m1", (world["brest"][0], world["lyon"][1]))
    assert response.status_code == 401
    assert response.json() == {"Code": 2020, "Message": "APIKey Invalid"}


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"api_key": "wrong"}, 401, 2020),
    ({"api_key": ""}, 401, 2020),
    ({"customer_id": ""}, 400, 1030),
    ({"customer_id": "nobody"}, 401, 2020),
    ({"customer_id": "0000000000000000"}, 403, 2011),
    ({"begin_date": ""}, 400, 1030),
    ({"begin_date": "2024-06-01", "end_date": "2024-01-31"}, 400, 3020),
    ({"begin_date": "2024-13-01"}, 400, 3020),
    ({"begin_date": "2025-02-01", "end_date": "2025-02-28"}, 400, 3020),
])
def test_bad_requests_get_a_counter_exception(client: TestClient, world: dict[str, Any], params: dict[str, str],
                                              status: int, code: int) -> None:
    response = ask(client, "reports/ir_m1", world["lyon"], **params)
    assert response.status_code == status
    body = response.json()
    assert body["Code"] == code and set(body) <= {"Code", "Message", "Data", "Help_URL"}


def test_an_unknown_report_is_a_404(client: TestClient, world: dict[str, Any]) -> None:
    assert ask(client, "reports/tr_j1", world["lyon"]).status_code == 404


def test_recoverable_problems_are_exceptions_in_the_header(client: TestClient, world: dict[str, Any]) -> None:
    report = ask(client, "reports/ir", world["lyon"], end_date="2025-03-31", metric_type="Bogus",
                 shoe_size="44").json()
    codes = [e["Code"] for e in report["Report_Header"]["Exceptions"]]
    assert codes[:3] == [3031, 3050, 3060]
    assert report["Report_Header"]["Report_Filters"]["End_Date"] == "2025-01-31"
    empty = ask(client, "reports/ir_m1", world["lyon"], begin_date="2023-01-01", end_date="2023-12-31").json()
    assert empty["Report_Items"] == []
    assert [e["Code"] for e in empty["Report_Header"]["Exceptions"]] == [3030]


def test_only_a_hash_of_the_api_key_is_stored(db: Session, world: dict[str, Any]) -> None:
    from audience.viewing.models import CounterApiKey

    stored = {row.key_hash for row in db.exec(select(CounterApiKey))}
    assert world["lyon"][1] not in stored and len(next(iter(stored))) == 64


def test_a_begin_date_before_the_platform_is_cut_with_an_exception(client: TestClient, world: dict[str, Any]) -> None:
    report = ask(client, "reports/pr_p1", world["lyon"], begin_date="0001-01-01", end_date="2024-12-31").json()
    assert report["Report_Header"]["Report_Filters"]["Begin_Date"] == "2000-01-01"
    assert [e["Code"] for e in report["Report_Header"]["Exceptions"]] == [3032]
    early = ask(client, "reports/pr_p1", world["lyon"], begin_date="0001-01-01", end_date="0001-12-31")
    assert early.status_code == 400 and early.json()["Code"] == 3020
