"""The media API and pages through the app: curators see progress, start jobs from the inbox, cancel and re-queue."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from catalogue.films.schemas import FilmCreate
from catalogue.films.services import create_film
from cinedoc.kernel.accounts import Role
from cinedoc.kernel.settings import Settings
from streaming.media.jobs import JobContext, run_job, stop_runners
from streaming.media.models import JobStatus, PackagingJob
from streaming.media.storage import LocalStorage
from tests.media_samples import MediaSamples


@pytest.fixture(autouse=True)
def no_runner_left_behind() -> Iterator[None]:
    # The app starts an in-process worker on demand; it must not outlive the test and steal later tests' jobs.
    yield
    stop_runners()


class RecordingRunner:
    name = "in_process"

    def __init__(self) -> None:
        self.enqueued: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.enqueued.append(job_id)


@pytest.fixture
def film_id(db_engine: Engine) -> int:
    with Session(db_engine) as session:
        film = create_film(session, FilmCreate(title="Sans soleil"))
        session.commit()
        assert film.id is not None
        return film.id


@pytest.fixture
def inbox(settings: Settings, media_samples: MediaSamples) -> Path:
    folder = settings.data_dir / "inbox"
    folder.mkdir(parents=True)
    shutil.copyfile(media_samples.master, folder / "master.mp4")
    shutil.copyfile(media_samples.captions, folder / "captions.srt")
    return folder


def wait_for(client: TestClient, job_id: int, headers: dict[str, str], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/packaging-jobs/{job_id}", headers=headers).json()
        if body["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        time.sleep(0.3)


def test_a_curator_packages_a_master_from_the_inbox_and_sees_it_published(
        client: TestClient, curator: dict[str, str], film_id: int, inbox: Path) -> None:
    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator,
                           json={"master_path": "master.mp4", "captions_path": "captions.srt"})
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["status"] == "queued" and job["can_cancel"]
    finished = wait_for(client, job["id"], curator)
    assert finished["status"] == "succeeded" and finished["percent"] == 100, finished["error"]
    media = client.get(f"/api/films/{film_id}/media", headers=curator).json()
    assert media["published"]["version"] == 1 and media["published"]["has_captions"]
    assert media["published"]["master_playlist"].endswith("/master.m3u8") and not media["in_progress"]
    log = client.get(f"/api/packaging-jobs/{job['id']}/log", headers=curator).json()
    assert log["id"] == job["id"] and isinstance(log["log"], str)


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/hostname", "sub/../../outside.mp4"])
def test_files_outside_the_inbox_are_refused(client: TestClient, curator: dict[str, str], film_id: int,
                                             inbox: Path, path: str) -> None:
    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator, json={"master_path": path})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "master"


def test_a_missing_master_and_an_unknown_film_are_clear_errors(
        client: TestClient, curator: dict[str, str], film_id: int, inbox: Path) -> None:
    missing = client.post(f"/api/films/{film_id}/media/jobs", headers=curator, json={"master_path": "nope.mp4"})
    assert missing.status_code == 400 and missing.json()["extra"][0]["key"] == "master"
    unknown = client.post("/api/films/999999/media/jobs", headers=curator, json={"master_path": "master.mp4"})
    assert unknown.status_code == 404
    assert client.get("/api/packaging-jobs/999999", headers=curator).status_code == 404
    assert client.get("/api/films/999999/media", headers=curator).status_code == 404


def test_cancel_and_requeue_through_the_api(client: TestClient, curator: dict[str, str], film_id: int,
                                            db_engine: Engine, media_samples: MediaSamples,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    runner = RecordingRunner()
    monkeypatch.setattr("streaming.media.controllers.runner_for", lambda _context: runner)
    with Session(db_engine) as session:
        job = PackagingJob(film_id=film_id, master_path=str(media_samples.small), status=JobStatus.FAILED,
                           error="ffmpeg failed: {reason}", error_params='{"reason": "boom"}')
        session.add(job)
        session.commit()
        job_id = job.id
    again = client.post(f"/api/packaging-jobs/{job_id}/requeue", headers=curator)
    assert again.status_code == 200 and again.json()["status"] == "queued"
    assert runner.enqueued == [job_id]
    cancelled = client.post(f"/api/packaging-jobs/{job_id}/cancel", headers=curator)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.post(f"/api/packaging-jobs/{job_id}/cancel", headers=curator).status_code == 409


def test_only_curators_reach_the_media_api(client: TestClient, login_as: Callable[[Role], dict[str, str]],
                                           film_id: int) -> None:
    assert client.get(f"/api/films/{film_id}/media").status_code == 401
    headers = login_as(Role.LIBRARIAN)
    assert client.get(f"/api/films/{film_id}/media", headers=headers).status_code == 403
    assert client.post(f"/api/films/{film_id}/media/jobs", headers=headers,
                       json={"master_path": "x.mp4"}).status_code == 403


def test_the_film_page_and_the_media_page_show_packaging_progress(
        client: TestClient, curator: dict[str, str], film_id: int, db_engine: Engine, tmp_path: Path,
        media_samples: MediaSamples) -> None:
    form = client.get(f"/staff/films/{film_id}")
    assert form.status_code == 200
    assert f'data-media-panel="/staff/films/{film_id}/media/panel"' in form.text
    assert "/static/media-status.js" in form.text
    empty = client.get(f"/staff/films/{film_id}/media/panel")
    assert "Aucun média n’est encore publié" in empty.text and 'data-in-progress="false"' in empty.text
    with Session(db_engine) as session:
        running = PackagingJob(film_id=film_id, master_path="/m.mp4", status=JobStatus.RUNNING, progress=0.42,
                               stage="encode")
        session.add(running)
        session.commit()
        running_id = running.id
    panel = client.get(f"/staff/films/{film_id}/media/panel")
    assert 'data-in-progress="true"' in panel.text
    assert '<progress max="100" value="42"' in panel.text and "42 %" in panel.text
    page = client.get(f"/staff/films/{film_id}/media")
    assert page.status_code == 200 and "<h1>Médias de Sans soleil</h1>" in page.text
    assert f'action="/staff/packaging-jobs/{running_id}/cancel"' in page.text
    cancel = client.post(f"/staff/packaging-jobs/{running_id}/cancel",
                         data={"_csrf_token": curator["x-csrftoken"]}, follow_redirects=False)
    assert cancel.status_code == 303 and cancel.headers["location"] == f"/staff/films/{film_id}/media"
    with Session(db_engine) as session:
        row = session.get(PackagingJob, running_id)
        assert row is not None and row.cancel_requested
        row.status = JobStatus.FAILED
        session.commit()
    context = JobContext(db_engine, LocalStorage(tmp_path / "media"), __import__(
        "streaming.media.config", fromlist=["StreamingSettings"]).StreamingSettings(), tmp_path / "work")
    with Session(db_engine) as session:
        ok = PackagingJob(film_id=film_id, master_path=str(media_samples.small))
        session.add(ok)
        session.commit()
        ok_id = ok.id
    assert ok_id is not None and run_job(context, ok_id) == "succeeded"
    published = client.get(f"/staff/films/{film_id}/media")
    assert "Publié : version 1" in published.text and "<caption>Rendus de la version 1</caption>" in published.text


# --- chapters and the French Sign Language video -------------------------------------------------------------------

@pytest.fixture
def accessible_inbox(inbox: Path, media_samples: MediaSamples) -> Path:
    shutil.copyfile(media_samples.chapters, inbox / "chapitres.vtt")
    shutil.copyfile(media_samples.sign_language, inbox / "lsf.mp4")
    shutil.copyfile(media_samples.sign_language_short, inbox / "lsf-court.mp4")
    shutil.copyfile(media_samples.audio_only, inbox / "son.m4a")
    (inbox / "chapitres-longs.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:04.000\nUn\n\n00:04.000 --> 00:45.000\nDeux\n", encoding="utf-8")
    (inbox / "chevauchement.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nUn\n\n2\n00:00:02,000 --> 00:00:04,000\nDeux\n", encoding="utf-8")
    return inbox


def test_a_curator_packages_chapters_and_a_sign_language_video_and_the_pages_say_so(
        client: TestClient, curator: dict[str, str], film_id: int, accessible_inbox: Path) -> None:
    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator, json={
        "master_path": "master.mp4", "captions_path": "captions.srt", "chapters_path": "chapitres.vtt",
        "sign_language_path": "lsf.mp4"})
    assert response.status_code == 201, response.text
    finished = wait_for(client, response.json()["id"], curator)
    assert finished["status"] == "succeeded", finished["error"]
    published = client.get(f"/api/films/{film_id}/media", headers=curator).json()["published"]
    assert (published["has_chapters"], published["has_sign_language"], published["has_captions"]) == (
        True, True, True)
    panel = client.get(f"/staff/films/{film_id}/media/panel").text
    assert "Chapitrage." in panel and "Vidéo en langue des signes française (LSF)." in panel
    page = client.get(f"/staff/films/{film_id}/media").text
    assert "<caption>Accessibilité de la version 1</caption>" in page
    for label in ("Sous-titres SME", "Chapitrage", "Vidéo en langue des signes française (LSF)"):
        assert f'<tr><th scope="row">{label}</th><td>oui</td></tr>' in page
    assert '<tr><th scope="row">Audiodescription</th><td>non</td></tr>' in page
    assert '<th scope="row">Vidéo en langue des signes française (LSF)</th><td>480×360</td>' in page


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"chapters_path": "chapitres-longs.vtt"}, "chapters",
     "Le fichier de chapitres ne correspond pas à la durée du film : le chapitre 2 se termine à 00:00:45.000, "
     "mais le film dure 00:00:08.000."),
    ({"chapters_path": "captions.srt"}, "chapters",
     "Le fichier de chapitres n’est pas au format WebVTT (sa première ligne doit être WEBVTT)."),
    ({"sign_language_path": "lsf-court.mp4"}, "sign_language",
     "La vidéo en langue des signes ne correspond pas à la durée du film : elle dure 00:00:04.000, "
     "le film 00:00:08.000."),
    ({"sign_language_path": "son.m4a"}, "sign_language", "Le fichier en langue des signes n’a pas de flux vidéo."),
    ({"captions_path": "chevauchement.srt"}, "captions",
     "Les sous-titres 1 (00:00:01.000 --> 00:00:03.000) et 2 (00:00:02.000 --> 00:00:04.000) se chevauchent : "
     "réunissez dans un même sous-titre les personnes qui parlent en même temps."),
    ({"subtitles": {"en": "chevauchement.srt"}}, "subtitles_en", "Les sous-titres 1 (00:00:01.000 --> "),
    ({"chapters_path": "absent.vtt"}, "chapters", "Le fichier de chapitres"),
    ({"sign_language_path": "absent.mp4"}, "sign_language", "Le fichier de vidéo en langue des signes"),
    ({"chapters_path": "../../etc/passwd"}, "chapters", "Les fichiers doivent"),
    ({"sign_language_path": "/etc/hostname"}, "sign_language", "Les fichiers doivent"),
])
def test_a_bad_side_file_is_a_400_naming_its_field_and_nothing_is_queued_or_stored(
        client: TestClient, curator: dict[str, str], film_id: int, accessible_inbox: Path, db_engine: Engine,
        settings: Settings, body: dict, field: str, message: str) -> None:
    from sqlalchemy import func
    from sqlmodel import select

    from streaming.media.models import FilmMedia, MediaAsset

    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator,
                           json={"master_path": "master.mp4", **body})
    assert response.status_code == 400, response.text
    extra = response.json()["extra"]
    assert [item["key"] for item in extra] == [field]
    assert response.json()["detail"].startswith(message), response.json()["detail"]
    with Session(db_engine) as session:
        assert session.exec(select(func.count()).select_from(PackagingJob)).one() == 0
        assert session.exec(select(func.count()).select_from(MediaAsset)).one() == 0
        assert session.get(FilmMedia, film_id) is None
    assert not (settings.data_dir / "media" / "films" / str(film_id)).exists()


def test_a_master_that_is_not_a_film_is_a_400_through_the_api(
        client: TestClient, curator: dict[str, str], film_id: int, accessible_inbox: Path) -> None:
    response = client.post(f"/api/films/{film_id}/media/jobs", headers=curator, json={"master_path": "son.m4a"})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "master" and "flux vidéo" in response.json()["detail"]
