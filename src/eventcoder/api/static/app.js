// The map page: events from GET /events as markers, a record panel from GET /events/{id}.
// Article text and every value from the API go into the page as text nodes (textContent,
// createTextNode), never parsed as markup: articles are untrusted input.
(function () {
  "use strict";

  const QUAD_COLOURS = {
    "verbal cooperation": "#3182bd",
    "material cooperation": "#31a354",
    "verbal conflict": "#fd8d3c",
    "material conflict": "#d62728",
  };
  const UNKNOWN_COLOUR = "#888888";
  const PAGE_SIZE = 500;
  const FILTERS = ["type", "country", "actor", "since", "until", "text"];

  const state = { types: {}, map: null, cluster: null, markers: new Map(), offset: 0, total: 0 };

  // Create an element with attributes set by setAttribute and children as text or nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      throw new Error(`${response.status}: ${detail || response.statusText}`);
    }
    return body;
  }

  function colourOf(type) {
    return QUAD_COLOURS[state.types[type]] || UNKNOWN_COLOUR;
  }

  function fatalitiesOf(p) {
    for (const key of ["fatalities_best", "fatalities", "fatalities_high"]) {
      if (typeof p[key] === "number") return p[key];
    }
    return null;
  }

  function sizeOf(p) {
    const dead = fatalitiesOf(p) || 0;
    return Math.min(44, Math.round(12 + 5 * Math.log2(1 + dead)));
  }

  function placeOf(p) {
    const loc = p.location;
    if (!loc) return "no place";
    return loc.name || loc.text || `${loc.lat}, ${loc.lon}`;
  }

  function dateOf(p) {
    return (p.date && (p.date.value || p.date.text)) || "no date";
  }

  function labelOf(p) {
    return `${p.type}${p.mode ? " (" + p.mode + ")" : ""} — ${placeOf(p)} — ${dateOf(p)}`;
  }

  function currentFilters() {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = document.getElementById("f-" + name).value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  function setStatus(message, isError) {
    const status = document.getElementById("status");
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  function makeMarker(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const size = sizeOf(p);
    const dot = el("div", { class: "ev-marker", "data-event-id": p.id, "data-type": p.type });
    dot.style.background = colourOf(p.type);
    const icon = L.divIcon({ html: dot, className: "ev-icon", iconSize: [size, size] });
    const marker = L.marker([lat, lon], { icon: icon, title: labelOf(p), riseOnHover: true });
    marker.on("click", () => openEvent(p.id));
    state.markers.set(p.id, marker);
    return marker;
  }

  function listItem(p) {
    const item = el(
      "li",
      { tabindex: "0", "data-event-id": p.id },
      el("span", { class: "swatch" }),
      el("strong", {}, p.type),
      p.mode ? ` ${p.mode}` : "",
      el("span", { class: "where" }, `${placeOf(p)} · ${dateOf(p)}`),
    );
    item.querySelector(".swatch").style.background = colourOf(p.type);
    const choose = () => {
      const marker = state.markers.get(p.id);
      if (marker) state.cluster.zoomToShowLayer(marker);
      openEvent(p.id);
    };
    item.addEventListener("click", choose);
    item.addEventListener("keydown", (e) => {
      if (e.key === "Enter") choose();
    });
    return item;
  }

  async function loadEvents(offset) {
    const params = currentFilters();
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    params.set("format", "geojson");
    params.set("limit", String(PAGE_SIZE));
    params.set("offset", String(offset));
    setStatus("Loading…");
    let collection;
    try {
      collection = await getJSON("/events?" + params.toString());
    } catch (error) {
      setStatus("Could not load events: " + error.message, true);
      return;
    }
    state.offset = offset;
    state.total = collection.total;
    state.cluster.clearLayers();
    state.markers.clear();
    const list = document.getElementById("event-list");
    list.replaceChildren();
    const markers = [];
    for (const feature of collection.features) {
      list.append(listItem(feature.properties));
      if (feature.geometry) markers.push(makeMarker(feature));
    }
    state.cluster.addLayers(markers);
    const shown = collection.features.length;
    const unplaced = shown - markers.length;
    setStatus(
      shown === 0
        ? "No events match these filters."
        : `${collection.total} events; showing ${offset + 1}–${offset + shown}` +
            (unplaced ? ` (${unplaced} without a place)` : ""),
    );
    document.getElementById("prev").disabled = offset === 0;
    document.getElementById("next").disabled = offset + shown >= collection.total;
    if (markers.length) {
      state.map.fitBounds(state.cluster.getBounds(), { maxZoom: 7, padding: [40, 40] });
    }
  }

  // Group the record's evidence spans by the document they point into.
  function evidenceByDoc(record) {
    const byDoc = new Map();
    const add = (docId, span) => {
      if (!byDoc.has(docId)) byDoc.set(docId, []);
      byDoc.get(docId).push(span);
    };
    for (const source of record.sources || []) {
      for (const span of source.evidence || []) add(span.doc_id || source.doc_id, span);
    }
    if (byDoc.size === 0) {
      for (const span of record.evidence || []) add(span.doc_id || record.doc_id, span);
    }
    return byDoc;
  }

  // Sort spans, drop ones outside the text and merge overlapping ones.
  function normaliseSpans(spans, length) {
    const sorted = spans
      .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end))
      .map((s) => ({ start: Math.max(0, s.start), end: Math.min(length, s.end) }))
      .filter((s) => s.start < s.end)
      .sort((a, b) => a.start - b.start || a.end - b.end);
    const merged = [];
    for (const span of sorted) {
      const last = merged[merged.length - 1];
      if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
      else merged.push({ start: span.start, end: span.end });
    }
    return merged;
  }

  // Render a document's text as text nodes, each evidence span inside a <mark>.
  function highlighted(text, spans) {
    const container = el("div", { class: "source-text" });
    let at = 0;
    for (const span of normaliseSpans(spans, text.length)) {
      if (span.start > at) container.append(document.createTextNode(text.slice(at, span.start)));
      const mark = el("mark", { title: "evidence" });
      mark.textContent = text.slice(span.start, span.end);
      container.append(mark);
      at = span.end;
    }
    if (at < text.length) container.append(document.createTextNode(text.slice(at)));
    return container;
  }

  function actorText(actor) {
    if (!actor) return null;
    const parts = [actor.name || actor.text];
    if (actor.code) parts.push(`[${actor.code}]`);
    else if (actor.country || actor.sector) parts.push(`[${actor.country || ""} ${actor.sector || ""}]`);
    return parts.join(" ");
  }

  function fatalitiesText(record) {
    const low = record.fatalities_low;
    const high = record.fatalities_high;
    const best = fatalitiesOf(record);
    if (best === null) return null;
    if (typeof low === "number" && typeof high === "number" && low !== high) {
      return `${best} (reports ${low}–${high})`;
    }
    return String(best);
  }

  function recordRows(record) {
    const loc = record.location;
    const flags = Object.entries(record.flags || {})
      .filter(([, on]) => on)
      .map(([name]) => name);
    return [
      ["mode", record.mode],
      ["CAMEO", record.cameo],
      ["ACLED", record.acled && [record.acled.event_type, record.acled.sub_event_type].filter(Boolean).join(" / ")],
      ["source", actorText(record.source)],
      ["target", actorText(record.target)],
      ["place", loc && `${placeOf(record)}${loc.country ? ", " + loc.country : ""} (${loc.lat}, ${loc.lon}; ${loc.precision})`],
      ["date", record.date && `${record.date.value || "?"}${record.date.text ? " — “" + record.date.text + "”" : ""}`],
      ["fatalities", fatalitiesText(record)],
      ["injuries", record.injuries],
      ["flags", flags.length ? flags.join(", ") : null],
      ["attributed to", (record.attributed_to || []).join("; ") || null],
      ["confidence", record.confidence],
      ["sources", record.n_sources],
      ["id", record.id],
    ];
  }

  // List each source document once (a document with two reports of the event is listed twice).
  function uniqueSources(record) {
    const seen = new Map();
    for (const source of record.sources || []) {
      if (source.doc_id && !seen.has(source.doc_id)) seen.set(source.doc_id, source);
    }
    for (const docId of evidenceByDoc(record).keys()) {
      if (docId && !seen.has(docId)) seen.set(docId, { doc_id: docId });
    }
    if (seen.size === 0 && record.doc_id) seen.set(record.doc_id, { doc_id: record.doc_id });
    return [...seen.values()];
  }

  function safeLink(url, text) {
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, text);
    }
    return el("span", {}, text);
  }

  async function openEvent(id) {
    const panel = document.getElementById("detail");
    const body = document.getElementById("detail-body");
    body.replaceChildren(el("p", {}, "Loading…"));
    panel.hidden = false;
    let record;
    try {
      record = await getJSON("/events/" + encodeURIComponent(id));
    } catch (error) {
      body.replaceChildren(el("p", { class: "error" }, "Could not load the event: " + error.message));
      return;
    }
    const quad = state.types[record.type] || "unknown quad";
    const tag = el("span", { class: "quad-tag" }, quad);
    tag.style.background = colourOf(record.type);
    const list = el("dl", {});
    for (const [name, value] of recordRows(record)) {
      if (value === null || value === undefined || value === "") continue;
      list.append(el("dt", {}, name), el("dd", {}, String(value)));
    }
    body.replaceChildren(el("h2", {}, record.type + " "), list);
    body.querySelector("h2").append(tag);
    body.setAttribute("data-event-id", record.id);

    const byDoc = evidenceByDoc(record);
    const sources = uniqueSources(record);
    for (const source of sources.slice(0, 10)) {
      const title = source.title || source.doc_id;
      const heading = el("h3", {}, safeLink(source.url, title));
      const meta = [source.published, typeof source.fatalities === "number" ? `${source.fatalities} killed` : null]
        .filter(Boolean)
        .join(" · ");
      const section = el("section", { class: "source", "data-doc-id": source.doc_id }, heading, meta ? el("p", {}, meta) : null);
      // why this report was merged into the event (what matched with its closest partner)
      if (source.merge_reason) section.append(el("p", { class: "merge-reason" }, "Merged: " + source.merge_reason));
      body.append(section);
      try {
        const doc = await getJSON("/documents/" + encodeURIComponent(source.doc_id));
        const spans = byDoc.get(source.doc_id) || [];
        section.append(highlighted(doc.text || "", spans));
      } catch (error) {
        section.append(el("p", { class: "error" }, "Could not load the document: " + error.message));
      }
    }
    // scroll each source text to its first highlight, leaving the record in view
    for (const box of body.querySelectorAll(".source-text")) {
      const first = box.querySelector("mark");
      if (first) box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 40);
    }
  }

  function fillTypes() {
    const select = document.getElementById("f-type");
    const groups = new Map();
    for (const [type, quad] of Object.entries(state.types)) {
      if (!groups.has(quad)) groups.set(quad, el("optgroup", { label: quad }));
      groups.get(quad).append(el("option", { value: type }, type));
    }
    for (const group of groups.values()) select.append(group);
    const legend = document.getElementById("legend");
    for (const quad of groups.keys()) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = QUAD_COLOURS[quad] || UNKNOWN_COLOUR;
      legend.append(el("div", {}, swatch, quad));
    }
    legend.append(el("div", {}, "marker size: fatalities"));
  }

  async function addCountries() {
    const response = await fetch("/static/vendor/world-atlas/countries-110m.json");
    const topology = await response.json();
    const countries = topojson.feature(topology, topology.objects.countries);
    L.geoJSON(countries, {
      interactive: false,
      style: { color: "#777", weight: 0.7, fillColor: "#f4f1e8", fillOpacity: 1 },
    }).addTo(state.map);
  }

  function addTiles(config) {
    if (!config.tiles) return;
    const tiles = L.tileLayer(config.tiles, {
      maxZoom: 18,
      attribution: "map tiles: see the tile provider's terms",
    });
    L.control.layers(null, { "Online map tiles": tiles }, { collapsed: false }).addTo(state.map);
  }

  function prefillFromURL() {
    const params = new URLSearchParams(location.search);
    for (const name of FILTERS) {
      const value = params.get(name);
      if (value) document.getElementById("f-" + name).value = value;
    }
  }

  async function main() {
    state.map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([25, 10], 2);
    state.cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    state.map.addLayer(state.cluster);
    let config = { tiles: null };
    try {
      [state.types, config] = await Promise.all([getJSON("/types"), getJSON("/config")]);
    } catch (error) {
      setStatus("Could not reach the API: " + error.message, true);
    }
    fillTypes();
    addTiles(config);
    addCountries().catch((error) => setStatus("Could not load country outlines: " + error.message, true));
    prefillFromURL();

    document.getElementById("filters").addEventListener("submit", (e) => {
      e.preventDefault();
      loadEvents(0);
    });
    document.getElementById("filters").addEventListener("reset", () => setTimeout(() => loadEvents(0), 0));
    document.getElementById("prev").addEventListener("click", () => loadEvents(Math.max(0, state.offset - PAGE_SIZE)));
    document.getElementById("next").addEventListener("click", () => loadEvents(state.offset + PAGE_SIZE));
    document.getElementById("detail-close").addEventListener("click", () => {
      document.getElementById("detail").hidden = true;
    });
    await loadEvents(0);
    document.body.setAttribute("data-ready", "1");
  }

  main();
})();
