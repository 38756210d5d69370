"""Fusing the rankings of several retrievers (dense, lexical) into one score per candidate."""

from collections.abc import Mapping, Sequence

import numpy as np


def reciprocal_rank_fusion(rankings: Sequence[Sequence], *, k: int = 60) -> dict:
    """Cormack et al.'s RRF: sum over rankings of 1 / (k + rank), rank counted from 1."""
    fused: dict = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


def min_max(scores: np.ndarray) -> np.ndarray:
    """Scores rescaled to 0..1 over the candidates; all equal -> all 0 (the signal tells nothing)."""
    scores = np.asarray(scores, dtype=np.float32)
    if not len(scores):
        return scores
    low, high = float(scores.min()), float(scores.max())
    return np.zeros_like(scores) if high <= low else (scores - low) / (high - low)


def convex_fusion(
    signals: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    *,
    scale: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Weighted sum of min-max normalised signals, each optionally scaled per candidate after normalising;
    the weight of a silent signal (all equal) passes to the others."""
    normalised = {name: min_max(values) for name, values in signals.items()}
    for name, factors in (scale or {}).items():
        normalised[name] = normalised[name] * factors
    live = {name: weights[name] for name, values in normalised.items() if values.any() and weights[name] > 0}
    total = sum(live.values())
    size = len(next(iter(signals.values()))) if signals else 0
    if not total:
        return np.zeros(size, dtype=np.float32)
    return sum((weight / total) * normalised[name] for name, weight in live.items())
