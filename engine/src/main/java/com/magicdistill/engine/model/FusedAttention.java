package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import com.magicdistill.engine.kernel.TorchScriptModule;
import java.util.function.Supplier;

/**
 * softmax(Q K^T / sqrt(d_head)) V through libtorch's fused {@code scaled_dot_product_attention}
 * (its CPU flash-attention kernel, forward and backward), which DJL's operator API does not expose
 * but a {@link TorchScriptModule} can call. Same function as the explicit formula to float rounding
 * (MultiHeadAttentionTest); for the paper-v2 shapes its forward and backward take about 0.6 of the
 * formula's time (docs/EVALUATION.md#fused-attention).
 */
final class FusedAttention {
  /** The module's method, as torch.jit.save prints it. */
  private static final String METHODS =
      """
        def forward(self: __torch__.SDPA,
          q: Tensor,
          k: Tensor,
          v: Tensor) -> Tensor:
          return torch.scaled_dot_product_attention(q, k, v)
      """;

  private static final Supplier<TorchScriptModule> MODULE =
      TorchScriptModule.loadedOnFirstUse("SDPA", METHODS);

  private FusedAttention() {}

  /**
   * @param q, k, v (B, heads, N, d_head), Q not yet scaled
   * @return (B, heads, N, d_head)
   */
  static NDArray apply(NDArray q, NDArray k, NDArray v) {
    return MODULE.get().forward(q, k, v);
  }
}
