package com.magicdistill.console.runs;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.ArtifactRow;
import com.magicdistill.db.TeamScope;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * A run's stored files: its artifacts and report. Every key served lies under the run's own prefix
 * {@code runs/<id>/} and has no {@code ..} or empty segment, so no request reaches another run's or
 * team's objects whatever it names.
 */
@Component
public class RunFiles {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._=-]{1,200}");

  private final ConsoleRepositories repositories;
  private final ConsoleBackends backends;
  private final RunService runs;

  public RunFiles(ConsoleRepositories repositories, ConsoleBackends backends, RunService runs) {
    this.repositories = repositories;
    this.backends = backends;
    this.runs = runs;
  }

  public List<ArtifactRow> artifacts(TeamScope scope, String runId) {
    runs.find(scope, runId);
    return repositories.pipeline().artifacts().artifacts(runId);
  }

  public ArtifactRow artifact(TeamScope scope, String runId, long artifactId) {
    return artifacts(scope, runId).stream()
        .filter(a -> a.id() == artifactId)
        .findFirst()
        .filter(a -> isUnder(a.objectKey(), "runs/" + runId + "/"))
        .orElseThrow(() -> ApiException.notFound("artifact " + artifactId + " of run " + runId));
  }

  /** Whether {@code key} is a plain key below {@code prefix}. */
  public static boolean isUnder(String key, String prefix) {
    if (key == null || !key.startsWith(prefix) || key.length() == prefix.length()) {
      return false;
    }
    for (String segment : key.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.equals(".")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code key} is one stored object (not a prefix, not deleted). */
  public boolean exists(String key) {
    try {
      return backends.store().exists(key);
    } catch (IOException e) {
      return false;
    }
  }

  public InputStream open(String key) throws IOException {
    return backends.store().openStream(key);
  }

  public byte[] read(String key) throws IOException {
    return backends.store().get(key);
  }

  /** The evaluation report's object key, if the run has one. */
  public Optional<String> reportKey(TeamScope scope, String runId) {
    String fallback = "runs/" + runId + "/evaluate/report.json";
    Optional<String> recorded =
        artifacts(scope, runId).stream()
            .filter(a -> "report".equals(a.kind()))
            .map(ArtifactRow::objectKey)
            .filter(k -> isUnder(k, "runs/" + runId + "/"))
            .findFirst();
    if (recorded.isPresent()) {
      return recorded;
    }
    try {
      return backends.store().exists(fallback) ? Optional.of(fallback) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
