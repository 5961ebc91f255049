package com.magicdistill.engine.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.VideoDiT;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The tensor table of docs/MODEL_PACKAGE.md, made from the model itself: every name of {@link
 * VideoDiT#stateDict()} with its shape, symbolic and for one concrete architecture. A test keeps
 * the document equal to {@link #markdown(DitConfig)}.
 */
public final class TensorTable {
  /** What each linear does, by its name with the block index and the parameter name removed. */
  private static final Map<String, String> ROLES = new LinkedHashMap<>();

  static {
    ROLES.put(
        "patch_embed",
        "tubelet embedding of [x_sigma RGB, first-frame RGB, known mask] per pixel; a Conv3d"
            + " weight (D, 7, pt, p, p) flattened");
    ROLES.put("sigma_embed.mlp.0", "sigma MLP layer 1, on 64 sinusoidal features of 1000 sigma");
    ROLES.put("sigma_embed.mlp.2", "sigma MLP layer 2 (after SiLU): the conditioning c");
    ROLES.put(
        "adaLN_modulation.1",
        "on SiLU(c): shift1, scale1, gate1, shift2, scale2, gate2 (adaLN-Zero)");
    ROLES.put("attn.qkv", "attention q, k, v: output viewed as (3, heads, D/heads)");
    ROLES.put("attn.proj", "attention output");
    ROLES.put("mlp.fc1", "MLP in, then GELU (erf)");
    ROLES.put("mlp.fc2", "MLP out");
    ROLES.put("final_layer.adaLN_modulation.1", "on SiLU(c): shift, scale of the final LayerNorm");
    ROLES.put(
        "final_layer.linear",
        "velocity per token, (3, pt, p, p) flattened, un-patchified to (B, 3, T, H, W)");
  }

  private TensorTable() {}

  /** The markdown table for {@code config} (LoRA left out: see the document's LoRA paragraph). */
  public static String markdown(DitConfig config) {
    DitConfig base = config.withLora(0, Set.of());
    Map<String, long[]> shapes = new LinkedHashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT model = new VideoDiT(base);
      model.initialize(m);
      for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
        Shape s = e.getValue().getArray().getShape();
        shapes.put(e.getKey(), s.getShape());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "| tensors | shapes | shapes (D=%d, P=%d, H=%d, depth %d) | role |%n",
            base.dim(),
            base.patchVolume(),
            base.mlpRatio() * base.dim(),
            base.depth()));
    sb.append("|---|---|---|---|\n");
    List<String> seen = new ArrayList<>();
    for (String name : shapes.keySet()) {
      if (name.startsWith("blocks.") && !name.startsWith("blocks.0.")) {
        continue; // every block has block 0's tensors
      }
      String linear = name.substring(0, name.lastIndexOf('.'));
      if (seen.contains(linear)) {
        continue;
      }
      seen.add(linear);
      String shown = linear.replaceFirst("^blocks\\.0\\.", "blocks.{i}.");
      String key = linear.replaceFirst("^blocks\\.0\\.", "");
      String role = ROLES.get(key);
      if (role == null) {
        throw new IllegalStateException("no role written for " + key + " in TensorTable");
      }
      long[] w = shapes.get(linear + ".weight");
      long[] b = shapes.get(linear + ".bias");
      sb.append("| `")
          .append(shown)
          .append(".weight`, `.bias` | ")
          .append(symbolic(w, base))
          .append(", ")
          .append(symbolic(b, base))
          .append(" | ")
          .append(concrete(w))
          .append(", ")
          .append(concrete(b))
          .append(" | ")
          .append(role)
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String concrete(long[] shape) {
    StringJoiner j = new StringJoiner(", ", "(", ")");
    for (long v : shape) {
      j.add(Long.toString(v));
    }
    return j.toString();
  }

  /** Each size as the first of D, 2D, 3D, 6D, H, 7P, 3P that equals it, else the number. */
  private static String symbolic(long[] shape, DitConfig c) {
    long d = c.dim();
    long p = c.patchVolume();
    Map<String, Long> names = new LinkedHashMap<>();
    names.put("D", d);
    names.put("2D", 2 * d);
    names.put("3D", 3 * d);
    names.put("6D", 6 * d);
    names.put("H", (long) c.mlpRatio() * d);
    names.put("7P", 7 * p);
    names.put("3P", 3 * p);
    StringJoiner j = new StringJoiner(", ", "(", ")");
    for (long v : shape) {
      String name = Long.toString(v);
      for (Map.Entry<String, Long> e : names.entrySet()) {
        if (e.getValue() == v) {
          name = e.getKey();
          break;
        }
      }
      j.add(name);
    }
    return j.toString();
  }
}
