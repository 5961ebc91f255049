package com.magicdistill.bench;

import com.magicdistill.activities.CodeVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The code a benchmark ran: the git commit of the working directory, whether the tree had changes
 * other than benchmark results, and the build's cache code version. Recorded in every results JSON
 * so a committed figure can be traced to its code.
 *
 * @param commit full commit hash, or "unknown" outside a git checkout
 * @param dirty whether tracked or untracked files differed from the commit (bench/results/ aside);
 *     null when unknown
 * @param build the build's code version (MAGIC_CODE_VERSION, or version+build time)
 */
record CodeRevision(String commit, Boolean dirty, String build) {
  private static final String RESULTS = "bench/results/";

  static CodeRevision current() {
    String commit = git("rev-parse", "HEAD");
    String status = commit == null ? null : git("status", "--porcelain");
    Boolean dirty = status == null ? null : isDirty(status);
    return new CodeRevision(
        commit == null ? "unknown" : commit.strip(), dirty, CodeVersion.ofBuild());
  }

  /** Whether {@code git status --porcelain} lists a change outside bench/results/. */
  static boolean isDirty(String porcelain) {
    return porcelain
        .lines()
        .filter(l -> l.length() > 3)
        .map(l -> l.substring(3))
        .anyMatch(path -> !path.startsWith(RESULTS) && !path.startsWith("\"" + RESULTS));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("git_commit", commit);
    m.put("git_dirty", dirty);
    m.put("build", build);
    return m;
  }

  private static String git(String... args) {
    try {
      Process p =
          new ProcessBuilder(
                  java.util.stream.Stream.concat(
                          java.util.stream.Stream.of("git"), List.of(args).stream())
                      .toList())
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
