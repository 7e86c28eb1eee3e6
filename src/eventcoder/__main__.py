"""Run the command line: python -m eventcoder."""

from eventcoder.cli import run

run()
