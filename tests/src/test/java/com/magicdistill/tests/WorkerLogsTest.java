package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing end-to-end wait reports the workers' last lines about its run. */
class WorkerLogsTest {
  @Test
  void theLastLinesAboutTheRunFromEveryWorkerLog(@TempDir Path home) throws Exception {
    Files.writeString(home.resolve("w-a.log"), "r-1 started\nr-2 started\nr-1 dmd-lora resumed\n");
    Files.writeString(home.resolve("w-b.log"), "r-1 cancel requested\nother\n");
    Files.writeString(home.resolve("notes.txt"), "r-1 not a log\n");
    assertEquals(
        "w-a.log: r-1 dmd-lora resumed\nw-b.log: r-1 cancel requested",
        WorkerLogs.linesAbout(home, "r-1", 2));
    assertEquals(
        "w-a.log: r-1 started\nw-a.log: r-1 dmd-lora resumed\nw-b.log: r-1 cancel requested",
        WorkerLogs.linesAbout(home, "r-1", 10));
    assertEquals("(no worker log line mentions r-9)", WorkerLogs.linesAbout(home, "r-9", 10));
  }
}
