"""Read inputs into cleaned Documents: txt, html, jsonl, RSS/Atom feeds, folders, stdin."""

from eventcoder.ingest.clean import clean_text, html_to_text, looks_like_html
from eventcoder.ingest.read import iter_documents

__all__ = ["clean_text", "html_to_text", "iter_documents", "looks_like_html"]
