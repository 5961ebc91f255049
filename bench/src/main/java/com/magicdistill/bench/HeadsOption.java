package com.magicdistill.bench;

import com.magicdistill.engine.EnginePreset;

/**
 * {@code bench teacher --heads N}: the preset's model with N attention heads of the same total
 * width (wider or narrower heads), named apart from the preset's own results ({@code
 * teacher-<preset>-heads<N>...}). Null heads: the preset as it is.
 */
public record HeadsOption(Integer heads) {
  /** The preset with this many heads; refuses a count that does not divide the model's width. */
  public EnginePreset apply(EnginePreset preset) {
    if (heads == null) {
      return preset;
    }
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
    return preset.withModel(preset.model().withHeads(heads));
  }

  /** {@code ""} or {@code "-heads<N>"}, after the preset's name in results names. */
  String nameSuffix() {
    return heads == null ? "" : "-heads" + heads;
  }

  /** {@code ""} or {@code " --heads <N>"}, at the end of the recorded command. */
  String commandSuffix() {
    return heads == null ? "" : " --heads " + heads;
  }
}
