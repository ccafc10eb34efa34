"""Intelligent triage of grid events: a taxonomy of about sixty categories of grid work, a
labelled corpus of Chinese event descriptions written for it, and a classifier (jieba and
scikit-learn) that predicts an event's category and township platform with a confidence.

The subpackage does not use Django models: `taxonomy` is plain data, `corpus` reads the
shipped ``corpus.csv``, and `classifier` trains, evaluates, saves and loads the model,
keeping it under the data folder (``settings.DATA_DIR / "triage"``).
"""
