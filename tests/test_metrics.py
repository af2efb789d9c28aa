import pytest
import torch

from calibmodule.metrics import AnswerAccuracy, AnswerAUROC, BinaryBrierScore, CalibrationGap, calibration_metrics


def test_collection_hand_values():
    m = calibration_metrics(n_bins=10).clone(prefix="val/")
    m.update(torch.tensor([0.9, 0.8, 0.3, 0.1]), torch.tensor([1, 0, 1, 0]))
    out = {k: v.item() for k, v in m.compute().items()}
    assert out["val/acc"] == pytest.approx(0.5)
    assert out["val/cal/Brier"] == pytest.approx((0.01 + 0.64 + 0.49 + 0.01) / 4)
    assert out["val/cal/ECE"] == pytest.approx((0.1 + 0.8 + 0.7 + 0.1) / 4)  # one sample per bin
    assert out["val/cal/gap"] == pytest.approx(0.525 - 0.5)
    assert out["val/sc/AUROC"] == pytest.approx(0.75)  # 3 of 4 (pos, neg) pairs ordered


@pytest.mark.parametrize("thresholds", [None, 11])
def test_auroc_is_nan_with_one_class_and_exact_otherwise(thresholds):
    """All answers wrong (or all right): AUROC is undefined, not torchmetrics' 0 ("ranks backwards")."""
    for y in ([0, 0, 0], [1, 1, 1]):
        m = AnswerAUROC(thresholds=thresholds)
        m.update(torch.tensor([0.9, 0.5, 0.1]), torch.tensor(y))
        assert torch.isnan(m.compute())
    m = AnswerAUROC(thresholds=thresholds)
    m.update(torch.tensor([0.9, 0.3]), torch.tensor([0, 1]))  # both classes across two batches
    m.update(torch.tensor([0.6, 0.1]), torch.tensor([1, 0]))
    assert m.compute().item() == pytest.approx(0.5)  # pairs (0.3,0.9) no, (0.3,0.1) yes, (0.6,0.9) no, (0.6,0.1) yes
    assert torch.isnan(calibration_metrics()(torch.tensor([0.2, 0.7]), torch.tensor([0, 0]))["sc/AUROC"])
    if thresholds is None:  # after a cross-process sync the list states are single tensors
        m.preds, m.target, m._computed = torch.cat(m.preds), torch.cat(m.target), None
        assert m.compute().item() == pytest.approx(0.5)
        m.target, m._computed = torch.zeros_like(m.target), None  # (compute caches its value)
        assert torch.isnan(m.compute())


def test_metrics_accumulate_over_batches():
    b = BinaryBrierScore()
    b.update(torch.tensor([1.0]), torch.tensor([0]))
    b.update(torch.tensor([0.5, 0.5]), torch.tensor([1, 1]))
    assert b.compute().item() == pytest.approx((1 + 0.25 + 0.25) / 3)
    g = CalibrationGap()
    g.update(torch.tensor([0.2, 0.2]), torch.tensor([1, 1]))
    assert g.compute().item() == pytest.approx(-0.8)
    a = AnswerAccuracy()
    a.update(torch.tensor([0.0, 0.0, 0.0]), torch.tensor([1, 0, 1]))
    assert a.compute().item() == pytest.approx(2 / 3)


def test_perfectly_calibrated_ece_zero():
    m = calibration_metrics(n_bins=2)
    # bin [0, .5): conf 0.25, 1 of 4 correct; bin [.5, 1]: conf 0.75, 3 of 4 correct
    conf = torch.tensor([0.25] * 4 + [0.75] * 4)
    y = torch.tensor([1, 0, 0, 0, 1, 1, 1, 0])
    m.update(conf, y)
    assert m.compute()["cal/ECE"].item() == pytest.approx(0.0, abs=1e-6)


def test_calibrated_ece_floor_matches_the_binomial_by_hand():
    """Constant confidence 0.5 on 100 questions: one bin, so a calibrated model's ECE is |X/100 - 0.5| with
    X ~ Binomial(100, 0.5); its mean is sum_k C(100,k) 2^-100 |k - 50| / 100 = 0.0398."""
    from math import comb

    from calibmodule.metrics.functional import calibrated_ece

    exact = sum(comb(100, k) * abs(k - 50) for k in range(101)) / 2**100 / 100
    assert exact == pytest.approx(0.0398, abs=1e-4)
    r = calibrated_ece(torch.full((100,), 0.5), torch.tensor([1, 0] * 50), n=4000)
    assert r["mean"] == pytest.approx(exact, abs=0.002)
    assert r["p"] == 1.0  # observed ECE 0: every draw is at least as far off
    assert r["q95"] > r["mean"]


def test_calibrated_ece_p_value_flags_gross_miscalibration_only():
    from calibmodule.metrics.functional import calibrated_ece, ece

    conf = torch.full((50,), 0.9)
    assert calibrated_ece(conf, torch.zeros(50, dtype=torch.long))["p"] == 0.0  # says 0.9, never right
    g = torch.Generator().manual_seed(1)
    conf = torch.rand(400, generator=g)
    y = (torch.rand(400, generator=g) < conf).long()  # calibrated by construction
    r = calibrated_ece(conf, y)
    assert float(ece(conf, y)) > 0.02  # binned ECE of a calibrated model is not ~0 on 400 questions
    assert r["p"] > 0.05 and abs(r["mean"] - float(ece(conf, y))) < 0.03


def test_report_tables_are_well_formed_markdown(tmp_path):
    """Every table row has as many cells as its header (GitHub drops a table whose delimiter row does not
    match), the calibrated-ECE reference is in the main table, and unparsed rows keep the shape."""
    import re

    from callbacks.report import write_report

    g = torch.Generator().manual_seed(0)
    conf = torch.rand(60, generator=g)
    y = (torch.rand(60, generator=g) < conf).long()
    kinds = ["a", "b", "c"] * 20
    series = {"base (expected)": {"conf": conf.flip(0), "correct": y, "kind": kinds},
              "trained (expected)": {"conf": conf, "correct": y, "kind": kinds},
              "trained (greedy)": {"conf": torch.full((60,), float("nan")), "correct": y, "kind": kinds}}
    path, rows = write_report(series, tmp_path, "t")
    assert 0 < rows["trained (expected)"]["ECE_calibrated"] < 0.3 and 0 <= rows["trained (expected)"]["ECE_p"] <= 1
    text = path.read_text()
    assert "ECE if calibrated" in text
    cells = lambda line: len(re.split(r"(?<!\\)\|", line.strip())) - 2  # noqa: E731
    tables = re.findall(r"((?:^\|.*\n)+)", text, flags=re.M)
    assert len(tables) == 3
    for table in tables:
        lines = table.strip().splitlines()
        assert all(cells(line) == cells(lines[0]) for line in lines), table


def test_reduction_against_a_baseline_of_zero_is_not_a_percentage(tmp_path):
    """A base model that is never right and always says 0 has gap and ECE 0.000: a reduction relative to it is
    'n/a', not a huge negative percentage; a real baseline still gets its percentage."""
    from callbacks.report import write_report

    y = torch.zeros(8, dtype=torch.long)
    series = {"base (expected)": {"conf": torch.full((8,), 1e-7), "correct": y},
              "trained (expected)": {"conf": torch.full((8,), 0.2), "correct": y},
              "base (greedy)": {"conf": torch.full((8,), 0.4), "correct": y},
              "trained (greedy)": {"conf": torch.full((8,), 0.1), "correct": y}}
    text = write_report(series, tmp_path, "t")[0].read_text()
    assert "| trained (expected) | +0.200 | n/a | 0.200 | n/a | base (expected) |" in text
    assert "| trained (greedy) | +0.100 | +75% | 0.100 | +75% | base (greedy) |" in text


def test_bootstrap_interval_resamples_whole_groups():
    """Hand-built: 10 groups of 10 questions; each group is all right or all wrong, so the groups carry the
    information of 10 questions, not 100. The group (cluster) interval of the accuracy must be about
    sqrt(10) times as wide as the question-level one; a group per question is the question-level interval
    exactly; a missing label (None) is a group of its own."""
    from calibmodule.metrics.functional import bootstrap_ci

    mean = lambda c, y: y.double().mean()  # noqa: E731 (the accuracy as the statistic)
    y = torch.tensor([1] * 50 + [0] * 50)
    conf = torch.full((100,), 0.5)
    groups = [i // 10 for i in range(100)]
    lo_q, hi_q = bootstrap_ci(mean, conf, y, 2000)
    lo_g, hi_g = bootstrap_ci(mean, conf, y, 2000, groups=groups)
    # question level: sd of a mean of 100 coin flips = 0.05, 95% width ~ 0.2; groups: sd ~ 0.158, width ~ 0.62
    assert hi_q - lo_q == pytest.approx(0.2, abs=0.03)
    assert hi_g - lo_g == pytest.approx(0.62, abs=0.08)
    assert bootstrap_ci(mean, conf, y, 500, groups=list(range(100))) == bootstrap_ci(mean, conf, y, 500)
    assert bootstrap_ci(mean, conf, y, 500, groups=[None] * 100) == bootstrap_ci(mean, conf, y, 500)


def test_report_names_the_grouped_interval(tmp_path):
    from callbacks.report import write_report

    g = torch.Generator().manual_seed(0)
    conf = torch.rand(60, generator=g)
    y = (torch.rand(60, generator=g) < conf).long()
    series = {"trained (expected)": {"conf": conf, "correct": y, "kind": ["a"] * 60, "group": [i // 5 for i in range(60)]}}
    path, rows = write_report(series, tmp_path, "t")
    assert rows["trained (expected)"]["groups"] == 12
    assert "bootstrap over 12 groups of questions" in path.read_text()
    series["trained (expected)"].pop("group")
    path, rows = write_report(series, tmp_path, "t")
    assert rows["trained (expected)"]["groups"] == 0 and "bootstrap over questions" in path.read_text()


def test_report_figures_are_written_and_left_in_no_global_registry(tmp_path):
    """A sweep tests run after run in one process: the report's PNGs must not pile up as open pyplot figures."""
    import matplotlib.pyplot as plt

    from callbacks.report import write_report

    conf = torch.linspace(0.05, 0.95, 40)
    y = (torch.arange(40) % 3 == 0).long()
    series = {"base (expected)": {"conf": conf.flip(0), "correct": y, "kind": ["a"] * 40},
              "trained (expected)": {"conf": conf, "correct": y, "kind": ["a"] * 40}}
    before = plt.get_fignums()
    for k in range(3):
        write_report(series, tmp_path / str(k), "t")
        assert (tmp_path / str(k) / "reliability.png").stat().st_size > 1000
        assert (tmp_path / str(k) / "risk_coverage.png").stat().st_size > 1000
    assert plt.get_fignums() == before
