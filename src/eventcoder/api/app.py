"""The HTTP API and the map page: a FastAPI app over a Store.

    GET  /                  the map page (static/index.html), works offline
    GET  /events            events by type, country, actor, radius, dates, text; JSON or GeoJSON
    GET  /events/{id}       one event with its sources and evidence (sources[].merge_reason)
    GET  /events/{id}/explain  why the event holds its reports: each pair compared
    POST /events/{id}/split    detach a document's reports from the event for good (bearer token)
    GET  /documents/{id}    one document with its cleaned text
    POST /documents         code an article and store it (bearer token; 403 without)
    GET  /types             PLOVER type -> quad, for the map's colours
    GET  /config            what the page may offer (online tiles, writing)
    GET  /docs              OpenAPI docs, with swagger-ui served from static/vendor/

Read-only unless a token is configured; CORS off unless origins are given; bodies over
`max_body` bytes are refused with 413 before they are read. Posted articles are coded one at a
time in a worker process (never on the event loop, never holding the server's GIL), with at most
`queue` of them waiting; more get 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import multiprocessing
import os
import pathlib
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, field_validator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventcoder.records import Document, Event
from eventcoder.store import EventFilter, Store, content_hash

STATIC_DIR = pathlib.Path(__file__).parent / "static"
VENDOR = "/static/vendor"
MAX_BODY = 2 * 1024 * 1024
# posted articles waiting for the coder beyond the one being coded; more are told to retry
MAX_QUEUE = 8
RETRY_AFTER_SECONDS = 5
GEOJSON = "application/geo+json"

Coder = Callable[[Iterable[Document]], Iterator[tuple[Document, list[Event]]]]
# (document, its events or None, why it could not be coded or None), as ingest's workers answer
Coded = tuple[Document, list[Event] | None, str | None]


@cache
def plover_quads() -> dict[str, str]:
    """Return each PLOVER event type's quad, read from the ontology."""
    text = resources.files("eventcoder.ontology").joinpath("plover.json").read_text("utf-8")
    types: dict[str, dict[str, Any]] = json.loads(text)["types"]
    return {name: str(entry["quad"]) for name, entry in types.items()}


def parse_near(value: str | None) -> tuple[float, float, float] | None:
    """Parse a `lat,lon,km` radius filter, or raise ValueError saying what is wrong."""
    if value is None or value == "":
        return None
    parts = value.split(",")
    if len(parts) != 3:
        raise ValueError("near must be lat,lon,km (for example 36.37,37.52,25)")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise ValueError("near must be three numbers: lat,lon,km") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 20_000):
        raise ValueError("near needs -90<=lat<=90, -180<=lon<=180 and 0<km<=20000")
    return (lat, lon, km)


def parse_type(value: str | None) -> str | None:
    """Normalise a PLOVER type filter, or raise ValueError naming the valid types."""
    if value is None or value == "":
        return None
    name = value.strip().upper()
    if name not in plover_quads():
        raise ValueError(f"unknown event type; use one of {' '.join(plover_quads())}")
    return name


def event_filter(
    type: Annotated[str | None, Query(max_length=40, description="PLOVER type, e.g. ASSAULT")] = None,
    country: Annotated[str | None, Query(max_length=100, description="ISO 3166-1 alpha-3, e.g. SYR")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="actor name, code or country")] = None,
    near: Annotated[str | None, Query(max_length=100, description="lat,lon,km")] = None,
    since: Annotated[dt.date | None, Query(description="first date, YYYY-MM-DD")] = None,
    until: Annotated[dt.date | None, Query(description="last date, YYYY-MM-DD")] = None,
    text: Annotated[str | None, Query(max_length=500, description="words in the evidence")] = None,
) -> EventFilter:
    """Build the store's filter from query parameters (422 when one is malformed)."""
    try:
        return EventFilter(
            type=parse_type(type),
            country=(country.strip().upper() or None) if country else None,
            actor=(actor.strip() or None) if actor else None,
            near=parse_near(near),
            since=since,
            until=until,
            text=(text.strip() or None) if text else None,
        )
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


def to_feature(record: dict[str, Any]) -> dict[str, Any]:
    """Turn an event record into a GeoJSON Feature (geometry null when it has no place)."""
    location = record.get("location")
    geometry = (
        {"type": "Point", "coordinates": [location["lon"], location["lat"]]}
        if location and location.get("lat") is not None and location.get("lon") is not None
        else None
    )
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": record}


def wants_geojson(fmt: str | None, accept: str | None) -> bool:
    """Tell whether the client asked for GeoJSON, by `format=` or by the Accept header."""
    if fmt is not None:
        return fmt == "geojson"
    return accept is not None and GEOJSON in accept


def document_id(body: DocumentIn) -> str:
    """Choose a posted document's id: the one given, else a hash of its text."""
    if body.id:
        return body.id
    return "api:" + hashlib.sha256((body.text or body.html or "").encode("utf-8")).hexdigest()[:16]


def read_posted(body: DocumentIn) -> Document:
    """Make the Document of a posted article, cleaned as the ingest stage cleans files."""
    from eventcoder.errors import BadDocument
    from eventcoder.ingest.read import read_markup_or_text  # late: trafilatura is slow

    kind = "text" if body.text else "html"
    item = read_markup_or_text(document_id(body), body.text or body.html or "", kind, body.published)
    if isinstance(item, BadDocument):
        raise HTTPException(422, item.reason)
    return dataclasses.replace(item, title=body.title or item.title, url=body.url)


class DocumentIn(BaseModel):
    """An article to code: plain text or a saved HTML page."""

    id: str | None = Field(None, max_length=500, description="defaults to a hash of the text")
    text: str | None = Field(None, description="plain text of the article")
    html: str | None = Field(None, description="a saved web page, instead of text")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    published: dt.date | None = Field(None, description="relative dates resolve against this")

    @field_validator("id")
    @classmethod
    def printable_id(cls, value: str | None) -> str | None:
        """Refuse an id no record, message or database can carry (NUL, newline, lone surrogate)."""
        from eventcoder.ingest.read import id_problem

        problem = id_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("title", "url")
    @classmethod
    def printable_field(cls, value: str | None) -> str | None:
        """Drop control characters and lone surrogates from the title and URL."""
        from eventcoder.ingest.read import printable

        return printable(value) or None if value else value

    @field_validator("published")
    @classmethod
    def resolvable_date(cls, value: dt.date | None) -> dt.date | None:
        """Refuse a publication date the coder cannot resolve against (near year 1 or 9999)."""
        from eventcoder.ingest.read import published_problem

        problem = published_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value


class SplitIn(BaseModel):
    """Which document to detach from an event."""

    doc_id: str = Field(max_length=500, description="the document's id or content hash")


class SplitOut(BaseModel):
    """What POST /events/{id}/split did."""

    event_id: str = Field(description="the event the document was detached from")
    doc_id: str
    now_in: list[str] = Field(description="ids of the events now holding the document's reports")


class DocumentOut(BaseModel):
    """What POST /documents did."""

    doc_id: str
    stored: bool = Field(description="false when the same document was already stored")
    event_ids: list[str] = Field(description="ids of the stored (merged) events, for GET /events")
    events: list[dict[str, Any]]


class BodySizeLimit:
    """Refuse request bodies over a byte limit with 413, by header or while streaming."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 413 once it is known to be too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_body:
                await self.too_large(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        # No length given (chunked): read the body here, up to the limit, then replay it.
        # The app cannot be told mid-read, since FastAPI turns errors in reading into 400.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # the client went away: let the app see it
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self.too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the 413 answer."""
        response = JSONResponse(
            {"detail": f"request body over {self.max_body} bytes; send a smaller document"},
            status_code=413,
        )
        await response(scope, receive, send)


class SecurityHeaders:
    """Add nosniff and no-referrer to every response (a plain ASGI middleware: cheap)."""

    HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass(frozen=True)
class Settings:
    """How the app is run: write token, CORS origins, body limit, optional online tiles."""

    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body: int = MAX_BODY
    tiles: str | None = None  # an online tile URL template, offered as an option on the map


PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: {tiles}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def tile_origin(tiles: str | None) -> str:
    """Return the scheme and host of a tile URL template, for the page's CSP."""
    if not tiles:
        return ""
    scheme, _, rest = tiles.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"


def code_posted(document: Document) -> Coded:
    """Code one posted document in the coding process; a failure comes back as its reason."""
    from eventcoder.store.batch import code_batch

    return code_batch([document])[0]


class CodingQueue:
    """Code posted documents one at a time off the event loop, refusing more than `size` waiting.

    The default coder runs in one worker process that loads the model once and dies with the
    server, so a slow document never holds the server's GIL and reads go on. A coder passed in
    (tests, embedding) runs in one thread instead.
    """

    def __init__(self, coder: Coder | None, size: int = MAX_QUEUE) -> None:
        self.coder = coder
        self.size = size
        self.waiting = 0
        self._lock = threading.Lock()
        self._executor: Executor | None = None
        self._closed = threading.Event()

    def _process_pool(self) -> Executor:
        """Start the worker process from a thread that lives as long as the server.

        The worker's parent-death signal fires when the thread that started it ends, and the
        threads serving requests come and go.
        """
        from eventcoder.store.batch import start_worker

        made: queue.Queue[Executor] = queue.Queue()

        def own() -> None:
            pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start_worker,
                initargs=(os.getpid(),),
            )
            pool.submit(int)  # starts the worker now, from this thread
            made.put(pool)
            self._closed.wait()

        threading.Thread(target=own, name="eventcoder-coder", daemon=True).start()
        return made.get()

    def executor(self) -> Executor:
        """Return the running executor, starting it on first use."""
        with self._lock:
            if self._executor is None:
                if self.coder is None:
                    self._executor = self._process_pool()
                else:
                    self._executor = ThreadPoolExecutor(1, thread_name_prefix="eventcoder-coder")
            return self._executor

    def _code_here(self, document: Document) -> Coded:
        """Code one document with the coder passed in."""
        from eventcoder.errors import BadDocument

        assert self.coder is not None
        try:
            coded, events = next(self.coder([document]))
        except BadDocument as bad:
            return document, None, bad.reason
        return coded, events, None

    async def code(self, document: Document) -> Coded:
        """Code a document without blocking the event loop; 503 when too many are waiting."""
        with self._lock:
            if self.waiting > self.size:
                raise HTTPException(
                    503,
                    f"the coder is busy with {self.waiting} articles; retry in {RETRY_AFTER_SECONDS} s",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            self.waiting += 1
        try:
            executor = self.executor()
            work = code_posted if self.coder is None else self._code_here
            return await asyncio.wrap_future(executor.submit(work, document))
        except BrokenProcessPool:
            with self._lock:
                self._executor = None  # the next article starts a fresh worker
            raise HTTPException(
                503,
                "the coding process stopped (out of memory?); retry, and report the article if it recurs",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            ) from None
        finally:
            with self._lock:
                self.waiting -= 1

    def close(self) -> None:
        """Stop the worker; articles still waiting are cancelled."""
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
        self._closed.set()


def create_app(
    store: Store,
    settings: Settings | None = None,
    coder: Coder | None = None,
) -> FastAPI:
    """Build the FastAPI app over an open store.

    Args:
        store: where events and documents are read from and written to.
        settings: token, CORS origins, body limit and tile URL; defaults are read-only,
            no CORS, 2 MB bodies, no online tiles.
        coder: the function that codes documents, run in a thread; defaults to
            `eventcoder.code_documents` in a worker process.

    Returns:
        The app, ready for uvicorn or TestClient.
    """
    settings = settings or Settings()
    coding = CodingQueue(coder)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        coding.close()

    app = FastAPI(
        lifespan=lifespan,
        title="eventcoder",
        summary="Event records coded from news text: PLOVER, CAMEO, ACLED, with evidence.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_body=settings.max_body)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET"],
            allow_headers=["Accept"],
        )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Any, error: RequestValidationError) -> Response:
        """Answer 422 in ASCII JSON: an input with a lone surrogate has no UTF-8 (it was a 500)."""
        body = json.dumps({"detail": jsonable_encoder(error.errors())}, ensure_ascii=True)
        return Response(body, status_code=422, media_type="application/json")

    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        """Allow a write only with the configured bearer token."""
        if settings.token is None:
            raise HTTPException(403, "read-only server; start it with --token to allow writes")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), settings.token.encode("utf-8")
        ):
            raise HTTPException(403, "send the server's token as 'Authorization: Bearer <token>'")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        """Serve the map page."""
        csp = PAGE_CSP.format(tiles=tile_origin(settings.tiles))
        return FileResponse(STATIC_DIR / "index.html", headers={"Content-Security-Policy": csp})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Serve the OpenAPI docs with the vendored swagger-ui, so they work offline."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="eventcoder API",
            swagger_js_url=f"{VENDOR}/swagger-ui-dist/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui-dist/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR}/swagger-ui-dist/favicon-32x32.png",
        )

    @app.get("/types", tags=["meta"])
    def types() -> dict[str, str]:
        """List the PLOVER event types with their quad (verbal/material cooperation/conflict)."""
        return plover_quads()

    @app.get("/config", tags=["meta"])
    def config() -> dict[str, Any]:
        """Say what the map page may offer: an online tile layer, writing."""
        return {"tiles": settings.tiles, "writable": settings.token is not None}

    @app.get("/events", tags=["events"], response_model=None)
    def list_events(
        f: Annotated[EventFilter, Depends(event_filter)],
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        format: Annotated[str | None, Query(pattern="^(json|geojson)$")] = None,
        accept: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """List events matching every filter given, newest first; GeoJSON on request."""
        records = store.query_events(f, limit=limit, offset=offset)
        total = store.count_events(f)
        if wants_geojson(format, accept):
            collection = {
                "type": "FeatureCollection",
                "features": [to_feature(r) for r in records],
                "total": total,
                "limit": limit,
                "offset": offset,
            }
            return JSONResponse(collection, media_type=GEOJSON)
        return JSONResponse({"total": total, "limit": limit, "offset": offset, "events": records})

    @app.get("/events/{event_id}", tags=["events"], response_model=None)
    def get_event(event_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        """Return one event with its sources and the evidence in each source document."""
        record = store.get_event(event_id)
        if record is None:
            raise HTTPException(404, f"no event {event_id!r}; list events with GET /events")
        return JSONResponse(record)

    @app.get("/events/{event_id}/explain", tags=["events"], response_model=None)
    def explain_event(event_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        """Say why an event holds its reports: every pair compared, linked reports kept out."""
        found = store.explain(event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r}; list events with GET /events")
        return JSONResponse(found)

    @app.post(
        "/events/{event_id}/split",
        tags=["events"],
        dependencies=[Depends(require_token)],
        responses={
            403: {"description": "no token configured, or a wrong one"},
            404: {"description": "no such event"},
            422: {"description": "the document is not a source of the event, or its only one"},
        },
    )
    def split_event(event_id: Annotated[str, Path(max_length=200)], body: SplitIn) -> SplitOut:
        """Detach a document's reports from an event; no later ingest merges them again (token)."""
        from eventcoder.errors import StoreError

        try:
            moved = store.split(event_id, body.doc_id)
        except StoreError as error:
            raise HTTPException(422, str(error)) from None
        if moved is None:
            raise HTTPException(404, f"no event {event_id!r}; list events with GET /events")
        return SplitOut(event_id=event_id, doc_id=body.doc_id, now_in=moved)

    @app.get("/documents/{doc_id:path}", tags=["documents"], response_model=None)
    def get_document(doc_id: str) -> JSONResponse:
        """Return one stored document with its cleaned text and the ids of its events."""
        document = store.get_document(doc_id)
        if document is None:
            raise HTTPException(404, f"no document {doc_id!r}; events name theirs in doc_id")
        return JSONResponse(document)

    @app.post(
        "/documents",
        tags=["documents"],
        status_code=201,
        dependencies=[Depends(require_token)],
        responses={403: {"description": "no token configured, or a wrong one"}},
    )
    async def post_document(body: DocumentIn) -> DocumentOut:
        """Code an article and store it with its events (needs the bearer token)."""
        if not (body.text or body.html):
            raise HTTPException(422, "send the article as text or html")
        document = await run_in_threadpool(read_posted, body)
        coded, events, problem = await coding.code(document)
        if events is None:
            raise HTTPException(422, problem or "the article could not be coded")
        return await run_in_threadpool(store_coded, coded, events)

    def store_coded(coded: Document, events: list[Event]) -> DocumentOut:
        """Store one coded article and say what was stored."""
        from eventcoder.errors import StoreError

        try:
            stored = store.add_document(coded, events)
        except StoreError as error:
            raise HTTPException(422, str(error)) from None
        kept = store.get_document(content_hash(coded.text))
        return DocumentOut(
            doc_id=coded.id,
            stored=stored,
            event_ids=list(kept["events"]) if kept else [],
            events=[event.to_dict() for event in events],
        )

    return app
