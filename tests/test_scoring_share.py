"""indexer.scoring.matched_share: the weighted share of matched clauses, per pattern of matches."""
from __future__ import annotations

import numpy as np

from indexer.scoring import _MAX_PATTERN_CLAUSES, matched_share


def test_the_share_is_the_weighted_sum_of_the_matched_clauses() -> None:
    rng = np.random.default_rng(13)
    for n in (1, 2, 3, 5, 8, _MAX_PATTERN_CLAUSES, _MAX_PATTERN_CLAUSES + 2):
        matches = [rng.random(5000) < p for p in np.linspace(0.02, 0.6, n)]
        weights = rng.random(n) + 0.1
        weights = weights / weights.sum()
        got = matched_share(weights, matches)
        want = np.tensordot(weights, np.asarray(matches, np.float64), axes=1)
        assert got.dtype == np.float64 and got.shape == (5000,)
        assert np.allclose(got, want, rtol=1e-15, atol=0)
        # passages that match nothing have no share; those that match all have (almost exactly) 1
        none = ~np.logical_or.reduce(matches)
        assert (got[none] == 0).all()
        every = np.logical_and.reduce(matches)
        assert np.allclose(got[every], 1.0)
