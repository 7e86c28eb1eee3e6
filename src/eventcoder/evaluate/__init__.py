"""Accuracy against human coders: gold readers (`gold`), metrics (`score`), the `eval` command."""
