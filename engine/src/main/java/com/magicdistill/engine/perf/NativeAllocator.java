package com.magicdistill.engine.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How glibc's malloc, which serves libtorch's tensors, was configured for this process: read from
 * the environment variables it takes at start-up (mallopt(3)), since a running JVM cannot change
 * them. With glibc's defaults, blocks of several MiB come from fresh mmap pages and go back to the
 * kernel on free, so each training step page-faults its activations again; {@code ./magic} and the
 * worker image set {@code MALLOC_MMAP_MAX_=0} (no mmap, freed blocks stay in the heap) and a high
 * {@code MALLOC_TRIM_THRESHOLD_} (the heap is not shrunk). See docs/EVALUATION.md#native-memory.
 *
 * @param mmapMax MALLOC_MMAP_MAX_, or null when unset (glibc's default, 65536)
 * @param trimThreshold MALLOC_TRIM_THRESHOLD_, or null when unset (glibc's dynamic default)
 */
public record NativeAllocator(String mmapMax, String trimThreshold) {
  public static final String MMAP_MAX = "MALLOC_MMAP_MAX_";
  public static final String TRIM_THRESHOLD = "MALLOC_TRIM_THRESHOLD_";

  /** The values {@code ./magic}, the worker image and the tests set. */
  public static final Map<String, String> REUSE =
      Map.of(MMAP_MAX, "0", TRIM_THRESHOLD, "68719476736");

  /** This process's setting. */
  public static NativeAllocator current() {
    return fromEnvironment(System.getenv());
  }

  public static NativeAllocator fromEnvironment(Map<String, String> env) {
    return new NativeAllocator(env.get(MMAP_MAX), env.get(TRIM_THRESHOLD));
  }

  /** True when freed tensor memory stays in the heap for the next step (mmap switched off). */
  public boolean reusesFreedMemory() {
    return "0".equals(mmapMax == null ? null : mmapMax.strip());
  }

  /** One line for logs and result files. */
  public String describe() {
    String vars =
        MMAP_MAX + "=" + orUnset(mmapMax) + ", " + TRIM_THRESHOLD + "=" + orUnset(trimThreshold);
    return reusesFreedMemory()
        ? "glibc malloc, freed memory reused (" + vars + ")"
        : "glibc malloc defaults, large blocks mmapped afresh (" + vars + "; ./magic sets them)";
  }

  /** The setting a result file recorded with {@link #toMap()}. */
  public static NativeAllocator fromMap(Map<String, ?> recorded) {
    return new NativeAllocator(
        string(recorded.get(MMAP_MAX)), string(recorded.get(TRIM_THRESHOLD)));
  }

  private static String string(Object v) {
    return v == null ? null : v.toString();
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MMAP_MAX, mmapMax);
    m.put(TRIM_THRESHOLD, trimThreshold);
    m.put("reuses_freed_memory", reusesFreedMemory());
    return m;
  }

  private static String orUnset(String v) {
    return v == null ? "unset" : v;
  }
}
