package com.magicdistill.engine.data;

import java.util.Objects;

/**
 * A clip with what we know about it.
 *
 * @param clip pixels
 * @param kind portrait or general
 * @param defect {@link Defect#NONE} for a clean clip (never null)
 * @param source provenance
 */
public record LabeledClip(Clip clip, ClipKind kind, Defect defect, ClipSource source) {
  public LabeledClip {
    Objects.requireNonNull(clip, "clip");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(defect, "defect (use Defect.NONE)");
  }

  public String id() {
    return clip.id();
  }

  /** True when the clip was deliberately degraded. */
  public boolean poor() {
    return defect.isPoor();
  }
}
