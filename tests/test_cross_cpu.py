"""eval.cross_cpu: the comparison on small made-up vectors, and the message when qemu is missing
(no test runs the emulator or loads the model)."""

from __future__ import annotations

import numpy as np
import pytest

from eval import cross_cpu
from eval.cross_cpu import compare

# four unit vectors in 3-d: 0 and 1 are each other's nearest, 2 and 3 too
BASE = np.array([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.0, 0.0, 1.0], [0.0, 0.6, 0.8]])


def _moved(row: int, delta: list[float]) -> np.ndarray:
    b = BASE.copy()
    b[row] += delta
    return b


@pytest.mark.parametrize("b, max_diff, min_cos, same", [
    (BASE, 0.0, 1.0, 4),  # identical runs
    (_moved(2, [0.0, 0.0, 0.01]), 0.01, 1.0, 4),  # longer, same direction: cosine 1
    (_moved(0, [0.0, 0.1, 0.0]), 0.1, 1 / np.sqrt(1.01), 4),  # one row turned a little
    # row 3 turned towards row 1: now 3's nearest is 1 (0.89, not 2) and 1's is 3 (not 0)
    (_moved(3, [0.5, 0.2, -0.5]), 0.5, 0.72 / np.sqrt(0.98), 2),
])
def test_compare(b, max_diff, min_cos, same):
    r = compare(BASE.astype(np.float32), b.astype(np.float32))
    assert r["n"] == 4
    assert r["max_abs_diff"] == pytest.approx(max_diff, abs=1e-6)
    assert r["median_vector_max_diff"] <= r["max_abs_diff"]
    assert r["min_cosine"] == pytest.approx(min_cos, abs=1e-6)
    assert r["nearest_neighbour_same"] == same


def test_the_median_is_over_sentences():
    b = BASE + np.array([[0.1, 0, 0], [0.2, 0, 0], [0.3, 0, 0], [0.4, 0, 0]])
    assert compare(BASE, b)["median_vector_max_diff"] == pytest.approx(0.25)


@pytest.mark.parametrize("a, b", [(BASE, BASE[:3]), (BASE, BASE[:, :2]), (BASE[:1], BASE[:1]), (BASE[0], BASE[0])])
def test_compare_needs_two_equal_arrays_of_two_rows_or_more(a, b):
    with pytest.raises(ValueError):
        compare(a, b)


def test_without_qemu_it_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setattr(cross_cpu.shutil, "which", lambda name: None)
    assert cross_cpu.main(["--sentences", "4"]) == 2
    err = capsys.readouterr().err
    assert "qemu-x86_64 not found" in err and "apt-get install qemu-user" in err
