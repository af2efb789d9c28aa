import math

import pytest
import torch

from calibmodule.entropy import (cluster_entropy, embedding_clusters, kernel_entropy, pearson, stability,
                                 string_clusters)


def test_string_clusters_normalise():
    assert string_clusters(["Paris", "paris.", "The Paris", "Lyon"]).tolist() == [0, 0, 0, 1]


def test_cluster_entropy_and_stability_hand_values():
    labels = torch.tensor([0, 0, 1, 1])
    assert cluster_entropy(labels).item() == pytest.approx(math.log(2))
    assert stability(labels).item() == pytest.approx(1 - math.log(2) / math.log(4))  # 0.5
    assert stability(torch.tensor([0, 0, 0, 0])).item() == 1.0
    assert stability(torch.tensor([0, 1, 2, 3])).item() == pytest.approx(0.0, abs=1e-6)


def test_kernel_entropy_identical_zero_orthogonal_max():
    same = torch.tensor([[1.0, 2.0, 3.0]] * 5)
    assert kernel_entropy(same).item() == pytest.approx(0.0, abs=1e-6)
    ortho = torch.eye(4) * 3.0
    assert kernel_entropy(ortho).item() == pytest.approx(1.0, abs=1e-6)
    two = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    assert kernel_entropy(two).item() == pytest.approx(0.5, abs=1e-6)  # log 2 / log 4


def test_embedding_clusters_threshold():
    e = torch.tensor([[1.0, 0.0], [0.99, 0.1], [0.0, 1.0]])
    assert embedding_clusters(e, 0.9).tolist() == [0, 0, 1]
    assert embedding_clusters(e, 0.999).tolist() == [0, 1, 2]


def test_pearson():
    assert pearson(torch.tensor([1.0, 2, 3]), torch.tensor([2.0, 4, 6])).item() == pytest.approx(1.0)
    assert pearson(torch.tensor([1.0, 1, 1]), torch.tensor([2.0, 4, 6])).item() == 0.0
