package com.magicdistill.engine.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * What the last linear of {@link VideoDiT} predicts (docs/ALGORITHM.md#prediction-target). The
 * model's output is a velocity either way, so samplers, losses and distillation do not change.
 *
 * <ul>
 *   <li>{@link #VELOCITY}: the last linear is v_theta itself (HunyuanVideo, Magic141).
 *   <li>{@link #X0}: the last linear predicts the clean clip x0_theta, and the model returns the
 *       velocity of the line through it: v = (x_sigma - x0_theta) / max(sigma, {@link
 *       RectifiedFlow#X0_SIGMA_FLOOR}) (JiT, Li and He 2025, "Back to Basics: Let Denoising
 *       Generative Models Denoise", arXiv 2511.13720: with pixel patches wider than the token, the
 *       network cannot carry the noise that a velocity contains, but can carry the clean image,
 *       which lies near a low-dimensional manifold).
 * </ul>
 */
public enum Prediction {
  @JsonProperty("velocity")
  VELOCITY,
  @JsonProperty("x0")
  X0;

  /** The name in configs and on the command line: {@code velocity} or {@code x0}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Looks a prediction up by {@link #id()}; an unknown name fails naming both. */
  public static Prediction byId(String id) {
    for (Prediction p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "model.prediction: unknown prediction '" + id + "'; choose velocity or x0");
  }
}
