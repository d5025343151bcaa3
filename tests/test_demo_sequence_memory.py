"""sequence-memory demo: one frame per training step, gated cells remember longer, divergence."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get, sequence_memory
from dlref.i18n import pick

DEMO = get("sequence-memory")


def _values(**values):
    return DEMO.defaults() | values




@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("seq_len,hidden,steps,lr", [(2, 2, 1, 1e-4), (60, 16, 2, 0.5),
                                                     (2, 2, 300, 0.5)])
def test_bounds_run_and_are_finite(cell, seq_len, hidden, steps, lr):
    values = _values(cell=cell, seq_len=seq_len, hidden=hidden, steps=steps, lr=lr)
    frames = list(DEMO.frames(values, np.random.default_rng(0)))
    assert [f.step for f in frames] == list(range(1, steps + 1))
    _finite(frames[-1])
    assert frames[-1].metrics["diverged"] == 0


def test_run_is_the_last_frame_and_deterministic():
    values = _values(cell="gru", seq_len=5, steps=7)
    last = list(DEMO.frames(values, np.random.default_rng(1)))[-1].to_dict()
    assert DEMO.run(values, np.random.default_rng(1)).to_dict() == last
    assert DEMO.run(values, np.random.default_rng(1)).to_dict() == last


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_every_cell_learns_a_short_sequence(cell):
    result = DEMO.run(_values(cell=cell, seq_len=4, steps=60), np.random.default_rng(0))
    assert result.metrics["recent_accuracy"] >= 0.9
    losses = next(s for s in result.plots[0].series if pick(s.label, "en") == "loss").y
    assert np.mean(losses[-10:]) < 0.5 * np.mean(losses[:5])


def test_gru_remembers_where_the_rnn_forgets():
    rnn = DEMO.run(_values(cell="rnn", seq_len=40, steps=60), np.random.default_rng(0))
    gru = DEMO.run(_values(cell="gru", seq_len=40, steps=60), np.random.default_rng(0))
    assert rnn.metrics["recent_accuracy"] < 0.75
    assert gru.metrics["recent_accuracy"] >= 0.9


def test_gradient_reach_at_init_decays_fastest_for_the_rnn():
    reach = sequence_memory.gradient_reach(30, 8, np.random.default_rng(0))
    assert reach["rnn"][-1] < reach["lstm"][-1] - 3
    assert reach["rnn"][-1] < reach["gru"][-1] - 3
    assert reach["rnn"][-1] < reach["rnn"][0]  # shrinks with the distance


def test_gate_plot_shows_the_cells_gates():
    labels = {cell: [pick(s.label, "en") for s in DEMO.run(_values(cell=cell, seq_len=3, steps=1),
                                               np.random.default_rng(0)).plots[1].series]
              for cell in ("rnn", "lstm", "gru")}
    assert {"i gate", "f gate", "o gate"} <= set(labels["lstm"])
    assert {"r gate", "z gate"} <= set(labels["gru"])
    assert any("h_t" in label for label in labels["rnn"])


def test_divergence_stops_early_with_a_note(monkeypatch):
    calls = {"n": 0}
    real = sequence_memory.cross_entropy

    def blows_up(logits, target):
        calls["n"] += 1
        return float("inf") if calls["n"] >= 3 else real(logits, target)

    monkeypatch.setattr(sequence_memory, "cross_entropy", blows_up)
    frames = list(DEMO.frames(_values(seq_len=3, steps=10), np.random.default_rng(0)))
    assert len(frames) == 3
    assert frames[-1].metrics["diverged"] == 1.0
    assert "diverged" in frames[-1].notes["en"][0]
    json.dumps(frames[-1].to_dict())


def test_card_presets_are_accepted():  # docs/demo-knobs.md
    assert DEMO.knob("cell").choices == ("rnn", "lstm", "gru")


def test_solved_rnn_note_does_not_say_its_own_length_fails():
    """The RNN solves T = 20 (the default length) on seed 0; its note went on to say 'make T
    longer (≈ 20+) and it stays near chance', the length it had just solved."""
    result = DEMO.run(_values(cell="rnn", seq_len=20, steps=60), np.random.default_rng(0))
    assert result.metrics["recent_accuracy"] >= 0.9
    assert not any("20+" in n for n in result.notes["en"])
    assert not any("20 以上" in n for n in result.notes["zh"])
    assert any("T = 20" in n and "longer" in n for n in result.notes["en"])


def test_at_the_shortest_t_no_shorter_t_is_suggested():
    demo = get("sequence-memory")
    result = demo.run({**demo.defaults(), "cell": "rnn", "seq_len": 2, "steps": 1},
                      np.random.default_rng(0))
    assert "shorter T" not in " ".join(result.notes["en"]) and "More steps" in result.notes["en"][0]
    assert "缩短 T" not in " ".join(result.notes["zh"])
