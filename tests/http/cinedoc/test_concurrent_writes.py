"""Many staff writes at once through a real server: each request commits, none waits on another's commit."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
from litestar import Litestar
from sqlalchemy import Engine

from cinedoc.kernel.accounts import Role
from tests.browser.live_server import live_server
from tests.conftest import PASSWORD, make_staff

WRITERS = 24  # more than the server's worker threads on a small machine


def test_concurrent_writes_all_commit_instead_of_waiting_for_each_other(app: Litestar, db_engine: Engine) -> None:
    email = make_staff(db_engine, Role.CURATOR)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        found = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/login").text)
        assert found is not None
        token = found.group(1)
        login = client.post("/login", data={"email": email, "password": PASSWORD, "_csrf_token": token})
        assert login.status_code in (200, 303)
        headers = {"x-csrftoken": token}
        cookies = dict(client.cookies)

        def add_subject(number: int) -> int:
            with httpx.Client(base_url=base, timeout=30, cookies=cookies) as own:
                answer = own.post("/api/staff/subjects", json={"label": f"Sujet {number:02d}"}, headers=headers)
                return answer.status_code

        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            statuses = list(pool.map(add_subject, range(WRITERS)))
        assert statuses == [201] * WRITERS
        labels = {subject["label"] for subject in client.get("/api/subjects").json()}
        assert {f"Sujet {n:02d}" for n in range(WRITERS)} <= labels
