package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.magicdistill.engine.DistillPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A paper table rerun in the same work folder continues the teacher it trained there. */
class PaperTableTeacherResumeTest {
  @TempDir Path dir;

  @Test
  void aRerunReusesTheTeacherTrainedInItsWorkFolder() throws Exception {
    DistillPreset tiny = DistillPreset.byName("tiny");
    Path work = dir.resolve("work");
    var first =
        new PaperTableBenchmark(tiny, 1, dir.resolve("results"), work, null, Progress.NONE).run();
    assertEquals(2, phases(first).size(), "the first run trained base and teacher");
    Map<Path, FileTime> teacher = files(work.resolve("teacher"));
    Map<Path, FileTime> base = files(work.resolve("base"));
    var again =
        new PaperTableBenchmark(tiny, 1, dir.resolve("results"), work, null, Progress.NONE).run();
    assertEquals(teacher, files(work.resolve("teacher")), "no teacher checkpoint rewritten");
    assertEquals(base, files(work.resolve("base")), "no base checkpoint rewritten");
    assertEquals(0, phases(again).size(), "no training step ran, so none is scored");
    for (String figure : new String[] {"fd_clip", "motion_ratio", "ci95"}) {
      assertEquals(euler28(first).get(figure), euler28(again).get(figure), figure);
    }
  }

  private static Map<?, ?> euler28(Map<String, Object> json) {
    return (Map<?, ?>) ((Map<?, ?>) json.get("methods")).get("euler28");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> phases(Map<String, Object> json) {
    return (Map<String, Object>) ((Map<String, Object>) json.get("efficiency")).get("phases");
  }

  private static Map<Path, FileTime> files(Path root) throws Exception {
    Map<Path, FileTime> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p), Files.getLastModifiedTime(p));
      }
    }
    return m;
  }
}
