package com.magicdistill.engine.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
  @Test
  void onlyMmapSwitchedOffCountsAsReuse() {
    assertTrue(
        NativeAllocator.fromEnvironment(Map.of("MALLOC_MMAP_MAX_", "0")).reusesFreedMemory());
    assertFalse(NativeAllocator.fromEnvironment(Map.of()).reusesFreedMemory());
    assertFalse(
        NativeAllocator.fromEnvironment(Map.of("MALLOC_MMAP_MAX_", "65536")).reusesFreedMemory());
    assertFalse(
        NativeAllocator.fromEnvironment(Map.of("MALLOC_TRIM_THRESHOLD_", "68719476736"))
            .reusesFreedMemory());
  }

  @Test
  void theRecordNamesBothVariables() {
    NativeAllocator a =
        NativeAllocator.fromEnvironment(
            Map.of("MALLOC_MMAP_MAX_", "0", "MALLOC_TRIM_THRESHOLD_", "68719476736"));
    assertEquals(
        "glibc malloc, freed memory reused (MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_=68719476736)",
        a.describe());
    assertEquals("0", a.toMap().get("MALLOC_MMAP_MAX_"));
    assertEquals(true, a.toMap().get("reuses_freed_memory"));
  }
}
