"""Small-typo lookup that costs a few dictionary probes, not a scan of every key.

Each key is indexed under every string obtained by deleting up to `max_edits`
characters (the "symmetric delete" trick); a query probes its own deletions, and
the candidates are then confirmed with a true edit distance that counts a swap
of two neighbouring letters as one edit ("bnech" is one typo from "bench").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import combinations


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        previous2, previous = previous, current
    return previous[-1]


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    for count in range(1, min(depth, len(word)) + 1):
        for positions in combinations(range(len(word)), count):
            found.add("".join(ch for k, ch in enumerate(word) if k not in positions))
    return found


class TypoIndex:
    """Maps a possibly mistyped key to the single stored key within its allowed distance.

    `allowed(length)` gives how many edits a key of that length tolerates; a query
    that is equally close to two different values finds nothing, because a typo
    that could mean two things is not a match.
    """

    def __init__(self, items: Iterable[tuple[str, str]], allowed: Callable[[int], int]) -> None:
        self._allowed = allowed
        self._values: dict[str, str] = {}
        self._by_deletion: dict[str, list[str]] = {}
        for key, value in items:
            if allowed(len(key)) == 0 or key in self._values:
                continue
            self._values[key] = value
            for variant in _deletions(key, allowed(len(key))):
                self._by_deletion.setdefault(variant, []).append(key)

    def lookup(self, query: str) -> str | None:
        depth = self._allowed(len(query) + 2)
        if depth == 0:
            return None
        candidates = {key for variant in _deletions(query, depth) for key in self._by_deletion.get(variant, ())}
        best: dict[str, int] = {}
        for key in candidates:
            distance = edit_distance(query, key)
            if distance <= self._allowed(len(key)):
                value = self._values[key]
                best[value] = min(distance, best.get(value, distance))
        if not best:
            return None
        nearest = min(best.values())
        winners = [value for value, distance in best.items() if distance == nearest]
        return winners[0] if len(winners) == 1 else None
