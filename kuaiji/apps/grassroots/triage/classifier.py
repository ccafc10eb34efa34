"""The triage classifier: jieba words (uni- and bigrams) and single characters, TF-IDF
weighted, into a linear SVM whose scores are calibrated to probabilities; it predicts a
grid event's category, and through the taxonomy its township platform, with a confidence.

Character bigrams and trigrams were tried and did worse on held-out reports: they mostly
learn the place names (``…街道``, ``…村``, ``…路``) that every category shares. Each
category's name and keywords are added to the training samples, so a model always knows
the whole taxonomy.

One model is kept per data folder (``settings.DATA_DIR / "triage" / "model.joblib"``):
`current_model` loads it, or trains it on the shipped corpus once per process and saves
it; `retrain` adds handled events to the shipped corpus, saves, and swaps it in.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from kuaiji.apps.grassroots.triage import corpus, taxonomy

logger = logging.getLogger(__name__)

Sample = corpus.Sample

#: How many runner-up categories a prediction lists.
ALTERNATIVES = 3

_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba() -> Any:
    """jieba, imported and its dictionary loaded once, without its start-up chatter."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def tokenize(text: str) -> list[str]:
    """The words of a description, as jieba cuts them, without spaces and punctuation."""
    return [w for w in _jieba().lcut(text) if w.strip() and any(ch.isalnum() for ch in w)]


def _pipeline(seed: int) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    words = TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 1), sublinear_tf=True)
    svm = LinearSVC(C=0.5, random_state=seed)
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("classifier", CalibratedClassifierCV(svm, cv=3, method="sigmoid", ensemble=False)),
        ]
    )


def _taxonomy_samples() -> list[Sample]:
    """Each category's name and each of its keywords, as samples of it."""
    return [(term, c.code) for c in taxonomy.CATEGORIES for term in (c.name, *c.keywords)]


@dataclass(frozen=True)
class Prediction:
    """The most likely category of a description, its platform, and the runners-up."""

    category: str
    platform: str
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)

    @property
    def department(self) -> str:
        """The key of the line department that answers for the category by default."""
        return taxonomy.category(self.category).department


@dataclass(frozen=True)
class Evaluation:
    """How a model trained on one part of the samples does on the held-out rest."""

    accuracy: float
    platform_accuracy: float
    train_size: int
    test_size: int
    train_seconds: float
    #: Recall of each category on the held-out samples.
    per_category: dict[str, float] = field(default_factory=dict)


class TriageModel:
    """A trained classifier and what it was trained on."""

    def __init__(self, pipeline: Any, samples: int, digest: str) -> None:
        import sklearn

        self.pipeline = pipeline
        self.samples = samples
        self.digest = digest
        self.sklearn_version = sklearn.__version__
        # The shipped corpus of the code that trained it: a new corpus retrains the model.
        self.corpus_digest = _digest(corpus.samples())
        self.trained_at = time.time()

    @property
    def categories(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    def predict(self, text: str) -> Prediction:
        """The category of one description."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """The categories of several descriptions, in order."""
        if not texts:
            return []
        classes = self.categories
        predictions = []
        for row in self.pipeline.predict_proba(list(texts)):
            ranked = sorted(
                zip(classes, (float(p) for p in row), strict=True), key=lambda pair: -pair[1]
            )
            best, confidence = ranked[0]
            predictions.append(
                Prediction(
                    category=best,
                    platform=taxonomy.category(best).platform,
                    confidence=min(max(confidence, 0.0), 1.0),
                    alternatives=ranked[1 : 1 + ALTERNATIVES],
                )
            )
        return predictions


def _digest(samples: Sequence[Sample]) -> str:
    h = hashlib.sha256()
    for text, code in samples:
        h.update(f"{text}\t{code}\n".encode())
    return h.hexdigest()[:16]


def _checked(samples: Iterable[Sample]) -> list[Sample]:
    known = set(taxonomy.codes())
    checked = []
    for text, code in samples:
        if code not in known:
            raise ValueError(f"unknown category {code!r}")
        text = text.strip()
        if text:
            checked.append((text, code))
    return checked


def train(samples: Iterable[Sample], seed: int = 2026) -> TriageModel:
    """A model trained on these (text, category) samples (and the taxonomy's terms)."""
    rows = _checked(samples)
    everything = rows + _taxonomy_samples()
    pipeline = _pipeline(seed)
    pipeline.fit([text for text, _ in everything], [code for _, code in everything])
    return TriageModel(pipeline, samples=len(rows), digest=_digest(rows))


def evaluate(samples: Iterable[Sample], test_share: float = 0.2, seed: int = 2026) -> Evaluation:
    """Train on a stratified part of the samples and score on the held-out rest."""
    from sklearn.model_selection import train_test_split

    rows = _checked(samples)
    training, held_out = train_test_split(
        rows, test_size=test_share, random_state=seed, stratify=[code for _, code in rows]
    )
    started = time.perf_counter()
    model = train(training, seed=seed)
    seconds = time.perf_counter() - started
    predictions = model.predict_many([text for text, _ in held_out])
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    platform_right = 0
    for (_, code), prediction in zip(held_out, predictions, strict=True):
        total[code] += 1
        right[code] += prediction.category == code
        platform_right += prediction.platform == taxonomy.category(code).platform
    return Evaluation(
        accuracy=sum(right.values()) / len(held_out),
        platform_accuracy=platform_right / len(held_out),
        train_size=len(training),
        test_size=len(held_out),
        train_seconds=seconds,
        per_category={code: right[code] / total[code] for code in sorted(total)},
    )


# Persistence


def model_path() -> Path:
    """Where the current model is kept: ``triage/model.joblib`` in the data folder."""
    return Path(settings.DATA_DIR) / "triage" / "model.joblib"


def save(model: TriageModel, path: Path | str | None = None) -> Path:
    """Write the model atomically (joblib); the folder is created if need be."""
    import joblib

    target = Path(path) if path is not None else model_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".model-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            joblib.dump(model, fh, compress=3)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def load(path: Path | str | None = None) -> TriageModel:
    """The model saved at `path` (the data folder's by default)."""
    import joblib

    model = joblib.load(Path(path) if path is not None else model_path())
    if not isinstance(model, TriageModel):
        raise TypeError(f"{path} does not hold a triage model")
    return model


def _usable(model: TriageModel) -> bool:
    """Whether a saved model can serve this code: same scikit-learn, same shipped corpus,
    known categories."""
    import sklearn

    known = set(taxonomy.codes())
    return (
        model.sklearn_version == sklearn.__version__
        and getattr(model, "corpus_digest", None) == _digest(corpus.samples())
        and set(model.categories) <= known
    )


_lock = threading.Lock()
_models: dict[Path, TriageModel] = {}


def current_model() -> TriageModel:
    """The model of this data folder: loaded once, or trained on the shipped corpus (and
    saved) when there is none yet or the saved one no longer fits this code."""
    path = model_path()
    model = _models.get(path)
    if model is not None:
        return model
    with _lock:
        model = _models.get(path)
        if model is None:
            model = _load_or_train(path)
            _models[path] = model
        return model


def _load_or_train(path: Path) -> TriageModel:
    if path.exists():
        try:
            model = load(path)
        except Exception:
            logger.warning("triage: cannot load %s, training afresh", path, exc_info=True)
        else:
            if _usable(model):
                return model
            logger.info("triage: %s was made by another version, training afresh", path)
    model = train(corpus.samples())
    try:
        save(model, path)
    except OSError:
        logger.warning("triage: cannot save the model to %s", path, exc_info=True)
    return model


def retrain(extra_samples: Iterable[Sample] = ()) -> TriageModel:
    """Train on the shipped corpus plus `extra_samples` (e.g. handled events and their final
    category), save the model, and make it the current one."""
    model = train([*corpus.samples(), *_checked(extra_samples)])
    path = save(model)
    with _lock:
        _models[path] = model
    return model


def forget() -> None:
    """Drop the models cached in this process (the saved files stay)."""
    with _lock:
        _models.clear()
