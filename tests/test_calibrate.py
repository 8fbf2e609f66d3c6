"""The answerability refit: folds that keep template twins together, held-out scores, the threshold rule."""

import numpy as np

from qa.cli.calibrate import choose_threshold, fit, folds, highest_threshold, out_of_fold


def test_each_fold_holds_both_classes_in_runs_of_neighbours() -> None:
    y = np.array([1] * 20 + [0] * 10)
    fold = folds(y, 5)
    for f in range(5):
        assert ((fold == f) & (y == 1)).sum() == 4 and ((fold == f) & (y == 0)).sum() == 2
    for label in (0, 1):
        assert (np.diff(fold[y == label]) >= 0).all()  # neighbours in the file share a fold


def test_held_out_scores_do_not_learn_from_a_questions_twin() -> None:
    # 30 pairs of identical noise vectors with a random label each: a model that sees a question's twin
    # "predicts" it; one that never does can only guess.
    rng = np.random.default_rng(0)
    x = np.repeat(rng.normal(size=(30, 20)), 2, axis=0)
    y = np.repeat(np.array([1, 0] * 15)[rng.permutation(30)], 2).astype(float)
    weights, bias = fit(x, y, 0.3)
    in_sample = ((x @ weights + bias > 0) == (y == 1)).mean()
    held = ((out_of_fold(x, y, 0.3) > 0.5) == (y == 1)).mean()
    assert in_sample > 0.95
    assert held < 0.75, held


def test_the_threshold_is_the_highest_that_keeps_false_not_found_in_bounds() -> None:
    answerable = np.array([0.1, 0.5, 0.6, 0.9])
    assert highest_threshold(answerable, 0.25) == 0.5  # declines only 0.1: one in four
    assert highest_threshold(answerable, 0.0) <= 0.1


def test_the_threshold_keeps_false_not_found_in_bounds_for_the_final_models_own_scores_too() -> None:
    # Folds scored the answerable questions high, the final model scores two of them lower: the threshold is
    # used with the final model, so its scores bound it as well.
    held = np.array([0.5, 0.6, 0.7, 0.8, 0.9])
    own = np.array([0.3, 0.35, 0.7, 0.8, 0.9])
    assert choose_threshold(held, own, 0.2) == min(highest_threshold(held, 0.2), highest_threshold(own, 0.2))
    assert 0.3 < choose_threshold(held, own, 0.2) <= 0.35 < highest_threshold(held, 0.2)
