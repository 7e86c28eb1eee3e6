"""The HTTP API and the map page (FastAPI); `create_app(store)` builds it."""
