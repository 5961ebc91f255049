package com.magicdistill.engine.data;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The filter's decision on one clip.
 *
 * @param clipId the clip
 * @param kept true when every check passed
 * @param reasons one human-readable line per failed check (empty when kept)
 * @param measures every measure by name ({@code sharpness}, {@code motion}, {@code maxJump}, {@code
 *     cutRatio}, {@code minSkinFraction}, {@code flicker}), sorted by name
 */
public record QualityVerdict(
    String clipId, boolean kept, List<String> reasons, Map<String, Double> measures) {
  public QualityVerdict {
    reasons = List.copyOf(reasons);
    measures = Collections.unmodifiableMap(new TreeMap<>(measures));
  }
}
