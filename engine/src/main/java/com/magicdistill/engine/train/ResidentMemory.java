package com.magicdistill.engine.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process, read from {@code /proc/self/status} (Linux). */
public final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ResidentMemory() {}

  /** VmRSS in MiB, or -1 where {@code /proc/self/status} is not available. */
  public static long currentMb() {
    long kb = currentKb();
    return kb < 0 ? -1 : kb / 1024;
  }

  /** VmRSS in KiB, or -1 where {@code /proc/self/status} is not available. */
  public static long currentKb() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
