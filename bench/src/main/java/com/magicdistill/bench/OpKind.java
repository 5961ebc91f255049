package com.magicdistill.bench;

import java.util.Set;

/** The kinds a libtorch operator's time is summed under in {@link OpTimeProfile}. */
enum OpKind {
  GEMM("gemm"),
  FUSED_ATTENTION("fused attention"),
  SOFTMAX("softmax"),
  LAYER_NORM("layer norm"),
  ACTIVATION("gelu, sigmoid"),
  COPY("copy, transpose, concat"),
  ELEMENTWISE("elementwise"),
  REDUCTION("reduction"),
  ALLOCATION("allocation, fill"),
  FRAMEWORK("autograd and dispatch");

  private static final Set<String> GEMMS =
      Set.of("mm", "addmm", "bmm", "baddbmm", "matmul", "linear", "dot", "addmv", "mv");
  private static final Set<String> COPIES =
      Set.of(
          "copy_",
          "clone",
          "contiguous",
          "cat",
          "_unsafe_view",
          "reshape",
          "_reshape_alias",
          "repeat",
          "expand_as",
          "stack",
          "index",
          "index_put_",
          "split",
          "narrow",
          "slice",
          "select",
          "to",
          "_to_copy");
  private static final Set<String> ELEMENTWISE_OPS =
      Set.of(
          "add",
          "add_",
          "sub",
          "sub_",
          "rsub",
          "mul",
          "mul_",
          "div",
          "div_",
          "sqrt",
          "rsqrt",
          "square",
          "pow",
          "neg",
          "exp",
          "addcmul_",
          "addcdiv_",
          "lerp_",
          "where",
          "clamp",
          "clamp_",
          "maximum",
          "minimum",
          "abs",
          "sign",
          "threshold_backward",
          "sqrt_",
          "mul_out",
          "reciprocal");
  private static final Set<String> REDUCTIONS =
      Set.of("sum", "mean", "norm", "linalg_vector_norm", "var", "std", "max", "amax", "min");
  private static final Set<String> ALLOCATIONS =
      Set.of(
          "empty",
          "empty_strided",
          "empty_like",
          "zeros",
          "zeros_like",
          "ones",
          "ones_like",
          "full",
          "full_like",
          "fill_",
          "zero_",
          "normal_",
          "uniform_",
          "randn",
          "scalar_tensor");

  private final String label;

  OpKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The kind of a profiler event name ({@code aten::mm}, {@code MmBackward0}, ...). */
  static OpKind of(String event) {
    if (!event.startsWith("aten::")) {
      return FRAMEWORK; // autograd nodes, gradient accumulation, record functions
    }
    String op = event.substring("aten::".length());
    if (GEMMS.contains(op)) {
      return GEMM;
    }
    if (op.contains("scaled_dot_product") || op.contains("flash_attention")) {
      return FUSED_ATTENTION;
    }
    if (op.contains("softmax")) {
      return SOFTMAX;
    }
    if (op.contains("layer_norm")) {
      return LAYER_NORM;
    }
    if (op.startsWith("gelu") || op.startsWith("sigmoid") || op.startsWith("silu")) {
      return ACTIVATION;
    }
    if (COPIES.contains(op) || op.startsWith("transpose") || op.startsWith("permute")) {
      return COPY;
    }
    if (ELEMENTWISE_OPS.contains(op)) {
      return ELEMENTWISE;
    }
    if (REDUCTIONS.contains(op)) {
      return REDUCTION;
    }
    if (ALLOCATIONS.contains(op)) {
      return ALLOCATION;
    }
    return FRAMEWORK; // views (as_strided, t, view, expand, unsqueeze), resolve_conj, detach, ...
  }
}
