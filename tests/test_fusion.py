import numpy as np

from qa.retrieve.fusion import min_max, min_max_fusion, rrf_fusion


def test_min_max_scales_to_unit_interval_and_constant_is_zero():
    np.testing.assert_allclose(min_max(np.array([2.0, 4.0, 3.0])), [0.0, 1.0, 0.5])
    np.testing.assert_allclose(min_max(np.array([5.0, 5.0])), [0.0, 0.0])


def test_min_max_fusion_weights_dense():
    lexical = np.array([10.0, 0.0, 5.0])
    dense = np.array([0.80, 0.90, 0.85])
    fused = min_max_fusion(lexical, dense, dense_weight=0.7)
    np.testing.assert_allclose(fused, [0.3, 0.7, 0.5])
    assert int(np.argmax(min_max_fusion(lexical, dense, dense_weight=0.2))) == 0


def test_rrf_rewards_agreement():
    lexical = np.array([3.0, 2.0, 1.0])
    dense = np.array([0.5, 0.9, 0.1])
    fused = rrf_fusion(lexical, dense, k=60)
    assert fused[2] < fused[0] and fused[2] < fused[1]
    np.testing.assert_allclose(fused[0], 1 / 61 + 1 / 62)
