package com.magicdistill.bench;

import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.model.Prediction;

/**
 * {@code bench teacher --heads N --prediction P --patch-skip}: the preset's model with N attention
 * heads of the same total width (wider or narrower heads), another prediction target and/or a patch
 * skip, named apart from the preset's own results ({@code teacher-<preset>-heads<N>-x0-skip}). Null
 * or false fields: the preset's own.
 */
public record ModelVariant(Integer heads, Prediction prediction, boolean patchSkip) {
  /** The preset's model as it is. */
  public static final ModelVariant NONE = new ModelVariant(null, null, false);

  /** The preset's model with this many heads. */
  public static ModelVariant heads(Integer heads) {
    return new ModelVariant(heads, null, false);
  }

  /**
   * The preset with this variant's heads and prediction; refuses a head count that does not divide
   * the model's width.
   */
  public EnginePreset apply(EnginePreset preset) {
    EnginePreset out = preset;
    if (heads != null) {
      if (heads <= 0 || preset.model().dim() % heads != 0) {
        throw new IllegalArgumentException(
            "--heads must divide the "
                + preset.name()
                + " model's width "
                + preset.model().dim()
                + " (got "
                + heads
                + ")");
      }
      out = out.withModel(out.model().withHeads(heads));
    }
    if (prediction != null && prediction != preset.model().prediction()) {
      out = out.withModel(out.model().withPrediction(prediction));
    }
    if (patchSkip) {
      out = out.withModel(out.model().withPatchSkip(true));
    }
    return out;
  }

  /** {@code ""}, or {@code "-heads<N>"}, {@code "-x0"}, {@code "-skip"} after the preset's name. */
  String nameSuffix() {
    return (heads == null ? "" : "-heads" + heads)
        + (prediction == null ? "" : "-" + prediction.id())
        + (patchSkip ? "-skip" : "");
  }

  /** {@code ""} or the options ({@code " --heads <N> --prediction <P> --patch-skip"}). */
  String commandSuffix() {
    return (heads == null ? "" : " --heads " + heads)
        + (prediction == null ? "" : " --prediction " + prediction.id())
        + (patchSkip ? " --patch-skip" : "");
  }
}
