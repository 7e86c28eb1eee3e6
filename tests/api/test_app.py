"""The HTTP API over a real SQLite store: filters, GeoJSON, records, documents, writes, limits."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventcoder.api.app import STATIC_DIR, Settings, create_app, parse_near, tile_origin
from eventcoder.store import Store

from .conftest import AL_BAB, TOKEN, km_between

FILTERS = ["type", "country", "actor", "near", "since", "until", "text"]
INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "'; DROP TABLE events; --",
    '" OR ""="',
    "1; DELETE FROM documents",
    "%' UNION SELECT sql, sql FROM sqlite_master --",
    "ASSAULT' --",
    "1) OR (1=1",
    "36.37,37.52,25); DROP TABLE events; --",
    "2017-02-09' OR '1'='1",
    "%",
    "_",
    "\\",
    "\x00",
]


def al_bab_assault(client: TestClient) -> dict[str, Any]:
    """Return the seed's ASSAULT event placed within 25 km of al-Bab."""
    body = client.get("/events", params={"type": "ASSAULT", "limit": 1000}).json()
    placed = [e for e in body["events"] if e["location"]]
    near = [e for e in placed if km_between((e["location"]["lat"], e["location"]["lon"]), AL_BAB) < 25]
    assert near, f"no ASSAULT event near al-Bab in {[e['location'] for e in placed]}"
    return dict(near[0])


def tables(db: Path) -> list[str]:
    """List the tables of a SQLite file, read directly."""
    with sqlite3.connect(db) as conn:
        return sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))


# without the pipeline: an empty real store


def test_app_refuses_writes_when_no_token_is_configured(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store))
    response = client.post(
        "/documents",
        json={"text": "Troops shelled the town."},
        headers={"Authorization": "Bearer x"},
    )
    assert response.status_code == 403
    assert "--token" in response.json()["detail"]


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x"])
def test_app_refuses_writes_without_the_right_token(empty_store: Store, header: str | None) -> None:
    client = TestClient(create_app(empty_store, Settings(token=TOKEN)))
    headers = {"Authorization": header} if header else {}
    response = client.post("/documents", json={"text": "Troops shelled the town."}, headers=headers)
    assert response.status_code == 403
    assert empty_store.stats()["documents"] == 0


def test_app_refuses_bodies_over_the_limit_by_header(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store, Settings(token=TOKEN, max_body=1000)))
    response = client.post(
        "/documents",
        json={"text": "x" * 2000},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 413
    assert empty_store.stats()["documents"] == 0


def test_app_refuses_streamed_bodies_over_the_limit(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store, Settings(token=TOKEN, max_body=1000)))

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(50):
            yield b"y" * 100
        yield b'"}'

    response = client.post(
        "/documents",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_app_default_limit_is_two_megabytes(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store, Settings(token=TOKEN)))
    response = client.post(
        "/documents", content=b"x" * (2 * 1024 * 1024 + 1), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("near", "36.37,37.52"),
        ("near", "north,east,5"),
        ("near", "91,0,10"),
        ("near", "36,37,-5"),
        ("type", "KILL"),
        ("since", "yesterday"),
        ("until", "2017-13-01"),
        ("limit", "0"),
        ("limit", "100000"),
        ("offset", "-1"),
        ("format", "kml"),
        ("text", "x" * 501),
    ],
)
def test_app_rejects_malformed_filters_with_422(empty_store: Store, name: str, value: str) -> None:
    response = TestClient(create_app(empty_store)).get("/events", params={name: value})
    assert response.status_code == 422, response.text


def test_app_parse_near_reads_lat_lon_km() -> None:
    assert parse_near("36.37, 37.52, 25") == (36.37, 37.52, 25.0)
    assert parse_near("") is None


def test_app_answers_404_for_unknown_ids(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store))
    assert client.get("/events/nope").status_code == 404
    assert client.get("/documents/no/such/doc.txt").status_code == 404


def test_app_cors_is_off_by_default(empty_store: Store) -> None:
    response = TestClient(create_app(empty_store)).get("/events", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_app_cors_allows_only_configured_origins(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store, Settings(cors_origins=("https://ok.example",))))
    ok = client.get("/events", headers={"Origin": "https://ok.example"})
    evil = client.get("/events", headers={"Origin": "https://evil.example"})
    assert ok.headers.get("access-control-allow-origin") == "https://ok.example"
    assert "access-control-allow-origin" not in evil.headers


def test_app_docs_load_swagger_from_the_package(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store))
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert assets, page.text
    for asset in assets:
        assert asset.startswith("/static/vendor/"), f"/docs fetches {asset} from outside"
        assert client.get(asset).status_code == 200, asset
    assert "/events" in client.get("/openapi.json").json()["paths"]


def test_app_map_page_uses_only_packaged_assets(empty_store: Store) -> None:
    client = TestClient(create_app(empty_store))
    page = client.get("/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", page.text)
    assert len(assets) >= 6
    assert not re.search(r"""(?:src|href)=["']https?:""", page.text)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert client.get("/static/vendor/world-atlas/countries-110m.json").json()["type"] == "Topology"


def test_app_vendored_assets_keep_their_licences() -> None:
    vendor = STATIC_DIR / "vendor"
    packages = [p for p in vendor.iterdir() if p.is_dir()]
    assert {p.name for p in packages} >= {"leaflet", "leaflet.markercluster", "world-atlas"}
    for package in packages:
        assert any("LICEN" in f.name.upper() for f in package.iterdir()), package


def test_app_page_never_puts_api_data_into_innerhtml() -> None:
    script = (STATIC_DIR / "app.js").read_text("utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)


def test_app_types_give_every_plover_type_a_quad(empty_store: Store) -> None:
    quads = TestClient(create_app(empty_store)).get("/types").json()
    assert len(quads) == 16
    assert quads["ASSAULT"] == "material conflict"
    assert quads["CONSULT"] == "verbal cooperation"


def test_app_tile_origin_allows_the_tile_host_in_the_page_csp(empty_store: Store) -> None:
    url = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    assert tile_origin(url) == "https://*.tile.example.org"
    client = TestClient(create_app(empty_store, Settings(tiles=url)))
    assert "https://*.tile.example.org" in client.get("/").headers["content-security-policy"]
    assert client.get("/config").json()["tiles"] == url


# with the pipeline: the seed article coded and stored


@pytest.mark.slow
def test_app_lists_the_seed_assault_at_al_bab(seeded_client: TestClient) -> None:
    event = al_bab_assault(seeded_client)
    assert event["location"]["country"] == "SYR"
    assert event["sources"][0]["published"] == "2017-02-09"


@pytest.mark.slow
def test_app_filters_combine(seeded_client: TestClient) -> None:
    event = al_bab_assault(seeded_client)
    params = {"type": "assault", "country": "syr", "near": "36.37,37.52,25"}
    day = (event["date"] or {}).get("value")
    if day and len(day) == 10:
        params.update(since=day, until=day)
    hits = seeded_client.get("/events", params=params).json()
    assert event["id"] in [e["id"] for e in hits["events"]]
    far = seeded_client.get("/events", params={"type": "ASSAULT", "near": "0,0,50"}).json()
    assert far["total"] == 0
    assert far["events"] == []
    later = seeded_client.get("/events", params={"type": "ASSAULT", "since": "2030-01-01"}).json()
    assert later["total"] == 0


@pytest.mark.slow
def test_app_date_filters_bound_the_event_day(seeded_client: TestClient) -> None:
    listed = seeded_client.get("/events", params={"limit": 1000}).json()["events"]
    days = sorted({e["date"]["value"] for e in listed if e["date"] and len(e["date"]["value"] or "") == 10})
    assert days, "no event of the seed article has a day-precise date"
    day = days[0]
    inside = seeded_client.get("/events", params={"since": day, "until": day, "limit": 1000}).json()
    assert inside["total"] >= 1
    assert all(e["date"]["value"].startswith(day) for e in inside["events"])
    before = dt.date.fromisoformat(day) - dt.timedelta(days=1)
    assert seeded_client.get("/events", params={"until": before.isoformat()}).json()["total"] == sum(
        1 for e in listed if e["date"] and len(e["date"]["value"] or "") == 10 and e["date"]["value"] < day
    )


@pytest.mark.slow
def test_app_text_filter_matches_evidence(seeded_client: TestClient) -> None:
    event = al_bab_assault(seeded_client)
    word = max(re.findall(r"[A-Za-z]+", event["evidence"][0]["text"]), key=len)
    found = seeded_client.get("/events", params={"text": word.upper()}).json()
    assert event["id"] in [e["id"] for e in found["events"]]
    assert seeded_client.get("/events", params={"text": "qwzxv"}).json()["total"] == 0


@pytest.mark.slow
def test_app_pages_with_limit_and_offset(seeded_client: TestClient) -> None:
    whole = seeded_client.get("/events", params={"limit": 1000}).json()
    assert whole["total"] == len(whole["events"]) >= 1
    paged = [
        seeded_client.get("/events", params={"limit": 1, "offset": i}).json()["events"][0]["id"]
        for i in range(whole["total"])
    ]
    assert paged == [e["id"] for e in whole["events"]]
    past = seeded_client.get("/events", params={"offset": whole["total"]}).json()
    assert past["events"] == []
    assert past["total"] == whole["total"]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["format", "accept"])
def test_app_gives_geojson_on_request(seeded_client: TestClient, how: str) -> None:
    if how == "format":
        response = seeded_client.get("/events", params={"format": "geojson", "type": "ASSAULT"})
    else:
        response = seeded_client.get(
            "/events", params={"type": "ASSAULT"}, headers={"Accept": "application/geo+json"}
        )
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    event = al_bab_assault(seeded_client)
    feature = next(f for f in collection["features"] if f["id"] == event["id"])
    lon, lat = feature["geometry"]["coordinates"]
    assert km_between((lat, lon), AL_BAB) < 25
    assert feature["properties"]["type"] == "ASSAULT"


@pytest.mark.slow
def test_app_event_evidence_slices_the_document_text(seeded_client: TestClient) -> None:
    listed = al_bab_assault(seeded_client)
    event = seeded_client.get(f"/events/{listed['id']}").json()
    assert event["sources"]
    assert len(event["evidence"]) >= 2
    for span in event["evidence"]:
        document = seeded_client.get(f"/documents/{span['doc_id']}").json()
        assert document["text"][span["start"] : span["end"]] == span["text"]
        assert event["id"] in document["events"]


@pytest.mark.slow
@pytest.mark.parametrize("name", FILTERS)
def test_app_filters_are_bound_parameters(seeded_client: TestClient, seeded_copy: Path, name: str) -> None:
    before_tables = tables(seeded_copy)
    before = seeded_client.get("/events", params={"limit": 1000}).json()
    assert before["total"] >= 1
    for payload in INJECTIONS:
        response = seeded_client.get("/events", params={name: payload})
        assert response.status_code in (200, 422), (name, payload, response.text)
        if response.status_code == 200 and payload.startswith("'"):
            # a tautology that reached the SQL would return every event
            assert response.json()["total"] == 0, (name, payload)
    after = seeded_client.get("/events", params={"limit": 1000}).json()
    assert after == before
    assert tables(seeded_copy) == before_tables


@pytest.mark.slow
def test_app_ids_in_paths_are_bound_parameters(seeded_client: TestClient) -> None:
    for payload in INJECTIONS[:6]:
        assert seeded_client.get(f"/events/{payload}").status_code == 404
        assert seeded_client.get(f"/documents/{payload}").status_code == 404
    assert seeded_client.get("/events").json()["total"] >= 1


ARTICLE = (
    "Gunmen killed seven villagers and wounded four others in an attack on a market in "
    "Maiduguri, Nigeria, on Tuesday, police said."
)


@pytest.mark.slow
def test_app_post_codes_and_stores_an_article(seeded_client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    body = {"id": "posted-1", "text": ARTICLE, "published": "2021-03-04", "title": "Market attack"}
    response = seeded_client.post("/documents", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["stored"] is True
    assert result["events"], "the pipeline found no event in a plain attack report"
    document = seeded_client.get("/documents/posted-1").json()
    assert document["text"].startswith("Gunmen killed seven")
    assert document["title"] == "Market attack"
    assert sorted(document["events"]) == sorted(result["event_ids"])
    for event_id in result["event_ids"]:
        assert seeded_client.get(f"/events/{event_id}").status_code == 200
    again = seeded_client.post("/documents", json=body, headers=headers).json()
    assert again["stored"] is False


@pytest.mark.slow
def test_app_post_rejects_an_empty_article(seeded_client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert seeded_client.post("/documents", json={"text": "  \n "}, headers=headers).status_code == 422
    assert seeded_client.post("/documents", json={}, headers=headers).status_code == 422
