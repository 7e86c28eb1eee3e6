"""The learned stage: decide each candidate event's type, sub-type and mode, or that it is none.

features.py   what a model sees of a mention: hashed words of its sentence, the rules' findings
rules.py      the rules' own decision (trigger type, ACLED mapping): a baseline and features
model.py      a trained model directory: model.json + weights.npz, loaded once
decide.py     classify_mentions(): the stage the pipeline calls
train.py      `eventcoder train`: fit a model directory from gold files
"""
