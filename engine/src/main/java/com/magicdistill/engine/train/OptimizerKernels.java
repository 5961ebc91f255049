package com.magicdistill.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import com.magicdistill.engine.kernel.TorchScriptModule;
import java.util.List;
import java.util.function.Supplier;

/**
 * The optimizer's per-parameter arithmetic over all parameters at once, through libtorch's
 * multi-tensor kernels: those {@code torch.optim.AdamW(fused=True)} and {@code
 * torch.nn.utils.clip_grad_norm_(foreach=True)} run. One native call per update instead of about a
 * dozen operators per parameter, each a pass over its memory (docs/EVALUATION.md#fused-optimizer).
 * The same formulas as written out in {@link AdamW}, {@link Ema} and {@link GradientClipping}, to
 * float rounding (AdamWTest).
 */
final class OptimizerKernels {
  /**
   * The module's methods, as torch.jit.save prints them (which writes dtypes as their codes: 7 is
   * float64).
   */
  private static final String METHODS =
      """
        def forward(self: __torch__.OptimizerKernels,
          x: Tensor) -> Tensor:
          return x
        def adamw(self: __torch__.OptimizerKernels,
          params: List[Tensor],
          grads: List[Tensor],
          exp_avgs: List[Tensor],
          exp_avg_sqs: List[Tensor],
          steps: List[Tensor],
          lr: float,
          beta1: float,
          beta2: float,
          weight_decay: float,
          eps: float) -> Tensor:
          torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []), \
      steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, \
      maximize=False)
          return steps[0]
        def lerp(self: __torch__.OptimizerKernels,
          targets: List[Tensor],
          ends: List[Tensor],
          weight: float) -> Tensor:
          torch._foreach_lerp_(targets, ends, weight)
          return targets[0]
        def scale(self: __torch__.OptimizerKernels,
          tensors: List[Tensor],
          factor: float) -> Tensor:
          torch._foreach_mul_(tensors, factor)
          return tensors[0]
        def norm(self: __torch__.OptimizerKernels,
          tensors: List[Tensor]) -> float:
          norms = torch.to(torch.stack(torch._foreach_norm(tensors, 2)), 7)
          return float(torch.sqrt(torch.sum(torch.mul(norms, norms))))
      """;

  private static final Supplier<TorchScriptModule> MODULE =
      TorchScriptModule.loadedOnFirstUse("OptimizerKernels", METHODS);

  private OptimizerKernels() {}

  /**
   * AdamW on every {@code params[i]} with gradient {@code grads[i]} and moments {@code m[i]},
   * {@code v[i]} in place, at update {@code t} (1-based):
   *
   * <pre>
   *   p &lt;- p * (1 - lr * weightDecay)
   *   m &lt;- m + (1 - beta1) * (g - m)            (= beta1 * m + (1 - beta1) * g)
   *   v &lt;- beta2 * v + (1 - beta2) * g^2
   *   p &lt;- p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
   * </pre>
   *
   * @param step a float scalar holding t
   */
  static void adamw(
      List<NDArray> params,
      List<NDArray> grads,
      List<NDArray> m,
      List<NDArray> v,
      NDArray step,
      double lr,
      double beta1,
      double beta2,
      double weightDecay,
      double eps) {
    PtNDArray[] steps = new PtNDArray[params.size()];
    java.util.Arrays.fill(steps, (PtNDArray) step);
    MODULE
        .get()
        .run(
            "adamw",
            list(params),
            list(grads),
            list(m),
            list(v),
            IValue.listFrom(steps),
            IValue.from(lr),
            IValue.from(beta1),
            IValue.from(beta2),
            IValue.from(weightDecay),
            IValue.from(eps));
  }

  /** {@code targets[i] <- targets[i] + weight * (ends[i] - targets[i])} in place. */
  static void lerp(List<NDArray> targets, List<NDArray> ends, double weight) {
    MODULE.get().run("lerp", list(targets), list(ends), IValue.from(weight));
  }

  /** {@code tensors[i] <- factor * tensors[i]} in place. */
  static void scale(List<NDArray> tensors, double factor) {
    MODULE.get().run("scale", list(tensors), IValue.from(factor));
  }

  /**
   * The L2 norm of all {@code tensors} together: sqrt(sum_i ||tensors[i]||^2), summed in double.
   */
  static double norm(List<NDArray> tensors) {
    return MODULE.get().callForDouble("norm", list(tensors));
  }

  private static IValue list(List<NDArray> arrays) {
    return IValue.listFrom(arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
  }
}
