"""`reportqa calibrate`: refit the answerability model on the tuning halves of the dev sets.

Each dev set is asked against its own index (`--set FILE=DATA_DIR`); the signals of every tuning
question and whether it is answerable fit a class-balanced logistic regression.

The penalty and the threshold are chosen by cross-validation within the tuning half: every question is
scored by a model fitted without it (`folds`). The penalty is the one whose held-out scores have the
lowest class-balanced log-loss. The threshold is the highest that keeps false "not found" at or under
`--max-fnf` on those held-out scores, and also on the final model's own scores, since that is the model
the threshold is used with. Chosen on the model's own scores alone, a threshold overrates how well it
separates new questions (2026-12-06: a candidate signal, fitted that way, flagged every tuning question
and fewer of the held-out half, and was dropped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.cli.common import load_service
from qa.cli.evaluation import load_questions
from qa.core.records import Filters, Turn
from qa.core.settings import Settings
from qa.search import answer as ans
from qa.search.ask import run

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "search" / "data" / "answerability.json"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cal = sub.add_parser("calibrate", help="refit the answerability model on the dev sets' tuning halves")
    cal.add_argument("--set", action="append", required=True, metavar="FILE=DATA_DIR",
                     help="a dev set and the data folder of the index it is asked against (repeatable)")
    cal.add_argument("--split", default="tune", help="which half to fit on (default: tune)")
    # 0.02 held on the tuning half, but 80 questions written later (2026-12-07) were declined 15% of the time on
    # their own tuning half before any change: new wording scores lower than the dev sets' own. Half the target
    # keeps margin for that shift.
    cal.add_argument("--max-fnf", type=float, default=0.01, help="largest false 'not found' share allowed on that half")
    cal.add_argument("--out", type=Path, default=DEFAULT_OUT)
    cal.set_defaults(run=run_calibrate)


def signals(settings: Settings, path: Path, data_dir: Path, split: str) -> tuple[list[list[float]], list[int], list[bool]]:
    """Feature vectors, labels (1 = answerable) and whether a hard rule already decided, per question."""
    service = load_service(replace(settings, data_dir=data_dir))
    if service is None:
        raise SystemExit(2)
    xs, ys, hard = [], [], []
    for item in load_questions(path):
        if split and item.get("split") != split:
            continue
        turns = item.get("turns") or [item["question"]]
        found = run(service.snapshot, service.encoder, service.matcher, turns[-1], 10, Filters(),
                    [Turn(q) for q in turns[:-1]], service.config, item.get("as_of"), ans.UNFITTED)
        ev = found.evidence
        xs.append(ev.vector())
        ys.append(0 if item.get("type") == "unanswerable" else 1)
        hard.append(ev.decided)
    return xs, ys, hard


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[np.ndarray, float]:
    """Class-balanced, L2-regularised logistic regression by Newton's method, on standardised features
    (so the penalty treats a cosine margin and a coverage share alike); returns raw-scale weights."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    w_z, b_z = _newton((x - mean) / std, y, l2, steps)
    weights = w_z / std
    return weights, float(b_z - (weights * mean).sum())


L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
FOLDS = 5


def folds(y: np.ndarray, k: int = FOLDS) -> np.ndarray:
    """A fold number per question: each class cut into k runs of consecutive questions, so every fold has
    both classes (given k of each: `run_calibrate` checks), and questions written side by side from one
    template (one metric, two cities) stay in one fold instead of each predicting the other."""
    out = np.zeros(len(y), int)
    for label in (0, 1):
        at = np.flatnonzero(y == label)
        out[at] = np.arange(len(at)) * k // max(len(at), 1)
    return out


def out_of_fold(x: np.ndarray, y: np.ndarray, l2: float, k: int = FOLDS) -> np.ndarray:
    """Each question's probability from a model fitted on the other folds."""
    fold = folds(y, k)
    probs = np.zeros(len(y))
    for f in range(k):
        test = fold == f
        weights, bias = fit(x[~test], y[~test], l2)
        probs[test] = 1 / (1 + np.exp(-np.clip(x[test] @ weights + bias, -30, 30)))
    return probs


def balanced_log_loss(probs: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(probs, 1e-6, 1 - 1e-6)
    return float(-(np.log(p[y == 1]).mean() + np.log(1 - p[y == 0]).mean()) / 2)


def highest_threshold(answerable: np.ndarray, max_fnf: float) -> float:
    """The highest threshold that declines at most `max_fnf` of the answerable questions' scores."""
    for t in np.linspace(0.95, 0.05, 91):
        if (answerable < t).mean() <= max_fnf:
            return float(t)
    return 0.05


def choose_threshold(held: np.ndarray, own: np.ndarray, max_fnf: float) -> float:
    """The highest threshold within `max_fnf` on the answerable questions' out-of-fold scores (`held`) and on
    the final model's own scores (`own`)."""
    return min(highest_threshold(held, max_fnf), highest_threshold(own, max_fnf))


def _newton(x: np.ndarray, y: np.ndarray, l2: float, steps: int) -> tuple[np.ndarray, float]:
    xb = np.hstack([x, np.ones((len(x), 1))])
    weight = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (weight * (p - y)) + reg * w
        hess = (xb * (weight * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        w -= np.linalg.solve(hess, grad)
    return w[:-1], float(w[-1])


def run_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    xs: list[list[float]] = []
    ys: list[int] = []
    hard: list[bool] = []
    for spec in args.set:
        file_name, _, data_dir = spec.partition("=")
        more = signals(settings, Path(file_name), Path(data_dir), args.split)
        xs += more[0]
        ys += more[1]
        hard += more[2]
    soft = ~np.asarray(hard)
    x, y = np.asarray(xs, float)[soft], np.asarray(ys, float)[soft]
    if min((y == 0).sum(), (y == 1).sum()) < FOLDS:
        print(f"error: cross-validation needs at least {FOLDS} answerable and {FOLDS} unanswerable questions not "
              f"decided by a hard rule; the {args.split} half has {int((y == 1).sum())} and {int((y == 0).sum())}",
              file=sys.stderr)
        return 2
    held_out = {l2: out_of_fold(x, y, l2) for l2 in L2_GRID}
    l2 = min(held_out, key=lambda value: balanced_log_loss(held_out[value], y))
    held = held_out[l2]
    weights, bias = fit(x, y, l2)
    own = 1 / (1 + np.exp(-np.clip(x @ weights + bias, -30, 30)))
    # The threshold is applied to the model fitted on every question, whose scores are not the folds' scores:
    # it must keep false "not found" within the limit on both (a threshold from the folds alone declined 5 of
    # 139 tuning questions that the final model scored, 2026-12-06).
    threshold = choose_threshold(held[y == 1], own[y == 1], args.max_fnf)
    out = {"features": list(ans.FEATURES), "weights": [round(float(v), 5) for v in weights], "bias": round(bias, 5),
           "threshold": round(threshold, 3), "l2": l2,
           "fitted_on": f"{', '.join(args.set)} ({args.split} half, {len(x)} questions not decided by a hard rule, "
                        f"{int((y == 0).sum())} unanswerable) on {dt.date.today().isoformat()}",
           "command": "reportqa calibrate " + " ".join(f"--set {s}" for s in args.set)}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    flagged = (held[y == 0] < threshold).mean() if (y == 0).any() else float("nan")
    print(f"wrote {args.out}: l2 {l2:g}, threshold {threshold:.2f}; cross-validated on the {args.split} half: "
          f"false not-found {(held[y == 1] < threshold).mean():.3f}, unanswerable flagged {flagged:.3f} "
          f"(hard rules aside)")
    for name, value in zip(ans.FEATURES, weights, strict=True):
        print(f"  {name:18s} {value:+.3f}")
    print(f"  {'bias':18s} {bias:+.3f}")
    return 0
