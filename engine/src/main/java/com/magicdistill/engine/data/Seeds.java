package com.magicdistill.engine.data;

import java.util.Random;

/** Derives independent, reproducible random streams from (master seed, stream, index). */
final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser: a well-mixed 64-bit value. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A {@link Random} (fully specified by the JDK, so portable) for one stream and index. */
  static Random random(long seed, String stream, long index) {
    long h = mix(seed + 0x9e3779b97f4a7c15L);
    h = mix(h ^ stream.hashCode());
    h = mix(h ^ index);
    return new Random(h);
  }
}
