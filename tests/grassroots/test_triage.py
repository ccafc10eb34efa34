"""Intelligent triage: the taxonomy of grid events, the shipped corpus, and the classifier
trained on it (held-out quality, persistence, retraining)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from kuaiji.apps.grassroots.triage import classifier, corpus, taxonomy
from kuaiji.apps.grassroots.triage.classifier import Evaluation, TriageModel
from kuaiji.platform.directory.demo_city.departments import LINE_DEPARTMENTS
from kuaiji.platform.directory.models import TownshipPlatform

PROBES = [
    "小区门口有车辆乱停乱放堵住消防通道",
    "河里有很多死鱼，水发黑发臭",
    "楼下烧烤店油烟太大，窗户都不敢开",
    "老板拖欠我们三个月工资不发",
    "电梯困人半小时了物业还没来",
    "晚上有人在河里电鱼",
]


@pytest.fixture(scope="module")
def samples() -> list[corpus.Sample]:
    return corpus.samples()


@pytest.fixture(scope="module")
def model(samples: list[corpus.Sample]) -> TriageModel:
    return classifier.train(samples)


@pytest.fixture(scope="module")
def evaluation(samples: list[corpus.Sample]) -> Evaluation:
    return classifier.evaluate(samples)


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Iterator[Path]:
    """A fresh data folder, and no model cached from another one."""
    settings.DATA_DIR = tmp_path
    classifier.forget()
    yield tmp_path
    classifier.forget()


@pytest.fixture
def small_corpus(
    monkeypatch: pytest.MonkeyPatch, samples: list[corpus.Sample]
) -> list[corpus.Sample]:
    """Eight samples a category stand in for the shipped corpus, to keep training quick."""
    seen: dict[str, int] = {}
    small = []
    for text, code in samples:
        if seen.get(code, 0) < 8:
            seen[code] = seen.get(code, 0) + 1
            small.append((text, code))
    monkeypatch.setattr(corpus, "samples", lambda: list(small))
    return small


# The taxonomy


def test_about_sixty_categories_with_unique_ascii_codes() -> None:
    codes = [c.code for c in taxonomy.CATEGORIES]
    assert 55 <= len(codes) <= 70
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", code) for code in codes)
    assert 8 <= len(taxonomy.GROUPS) <= 12
    assert len({g.code for g in taxonomy.GROUPS}) == len(taxonomy.GROUPS)


def test_every_category_names_a_known_group_platform_and_department() -> None:
    groups = {g.code for g in taxonomy.GROUPS}
    platforms = set(TownshipPlatform.values)
    departments = {d.key for d in LINE_DEPARTMENTS}
    assert set(taxonomy.PLATFORMS) == platforms
    for c in taxonomy.CATEGORIES:
        assert c.group in groups and c.code.startswith(f"{c.group}.")
        assert c.platform in platforms, c.code
        assert c.department in departments, c.code
        assert c.name and str(c.name_en)
    # every platform takes some kind of event
    assert {c.platform for c in taxonomy.CATEGORIES} == platforms


def test_lookups() -> None:
    parking = taxonomy.category("city.illegal_parking")
    assert parking.name == "车辆乱停乱放" and parking.department == "ZHZF"
    assert taxonomy.category("env.water_pollution").department == "STHJ"
    assert taxonomy.category("market.food_safety").department == "SCJ"
    with pytest.raises(KeyError):
        taxonomy.category("city.no_such_thing")
    grouped = taxonomy.by_group()
    assert list(grouped) == list(taxonomy.GROUPS)
    assert all(grouped.values())
    assert sum(len(cs) for cs in grouped.values()) == len(taxonomy.CATEGORIES)


# The corpus


def test_the_corpus_is_large_without_duplicates(samples: list[corpus.Sample]) -> None:
    texts = [text for text, _ in samples]
    assert len(texts) >= 2000
    assert len(set(texts)) == len(texts)
    assert all(5 <= len(text) <= 100 for text in texts)


def test_every_category_has_at_least_thirty_samples() -> None:
    counts = corpus.counts()
    assert set(counts) == set(taxonomy.codes())
    assert min(counts.values()) >= 30


# The classifier


def test_held_out_accuracy(evaluation: Evaluation, samples: list[corpus.Sample]) -> None:
    assert evaluation.train_size + evaluation.test_size == len(samples)
    assert evaluation.test_size == pytest.approx(len(samples) * 0.2, abs=1)
    assert set(evaluation.per_category) == set(taxonomy.codes())
    assert evaluation.accuracy >= 0.85
    assert evaluation.platform_accuracy >= 0.9


def test_obvious_predictions(model: TriageModel) -> None:
    expected = [
        {"city.illegal_parking", "safety.fire_lane"},
        {"env.water_pollution"},
        {"env.cooking_fumes"},
        {"dispute.wage_arrears"},
        {"safety.elevator"},
        {"rural.illegal_fishing"},
    ]
    for text, categories in zip(PROBES, expected, strict=True):
        prediction = model.predict(text)
        assert prediction.category in categories, (text, prediction)
        assert prediction.platform == taxonomy.category(prediction.category).platform
        assert 0 < prediction.confidence <= 1
        alternatives = [code for code, _ in prediction.alternatives]
        assert len(alternatives) == classifier.ALTERNATIVES
        assert prediction.category not in alternatives
        assert all(p <= prediction.confidence for _, p in prediction.alternatives)


def test_save_and_load_give_the_same_predictions(model: TriageModel, tmp_path: Path) -> None:
    path = classifier.save(model, tmp_path / "nested" / "model.joblib")
    loaded = classifier.load(path)
    assert loaded.predict_many(PROBES) == model.predict_many(PROBES)


def test_the_current_model_is_trained_once_saved_and_loaded(
    data_dir: Path, small_corpus: list[corpus.Sample]
) -> None:
    first = classifier.current_model()
    assert classifier.model_path() == data_dir / "triage" / "model.joblib"
    assert classifier.model_path().exists()
    assert first.samples == len(small_corpus)
    assert classifier.current_model() is first
    classifier.forget()
    again = classifier.current_model()  # loaded from the data folder, not trained
    assert again is not first and again.trained_at == first.trained_at


def test_retrain_adds_the_extra_samples_and_swaps_the_model(
    data_dir: Path, small_corpus: list[corpus.Sample]
) -> None:
    before = classifier.current_model()
    extra = [("小区门口的快递驿站把包裹堆在消防通道上", "safety.fire_lane")] * 3
    after = classifier.retrain(extra)
    assert after.samples == len(small_corpus) + 3
    assert classifier.current_model() is after is not before
    classifier.forget()
    assert classifier.current_model().trained_at == after.trained_at
    assert after.predict(extra[0][0]).category == "safety.fire_lane"
    with pytest.raises(ValueError, match="unknown category"):
        classifier.retrain([("随便说点什么", "no.such_category")])
