package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ArtifactRepository} (artifacts and exported models) against a real PostgreSQL. */
class ArtifactRepositoryTest extends RepositoryTestBase {

  @Test
  void artifactsAndExportedModelsRoundTrip() throws Exception {
    repos.runs().createRun(run("r-art", null));
    repos
        .artifacts()
        .recordArtifact("r-art", "evaluate", "report", "runs/r-art/report.json", "h1", 512);
    repos
        .artifacts()
        .recordArtifact("r-art", "w2s", "samples", "runs/r-art/samples.mp4", "h2", 4096);
    repos
        .artifacts()
        .recordArtifact("r-art", "evaluate", "report", "runs/r-art/report.json", "h1b", 600);
    repos.artifacts().recordArtifact("r-art", null, "dataset", "datasets/portrait.bin", null, 10);

    List<ArtifactRow> artifacts = repos.artifacts().artifacts("r-art");
    assertEquals(3, artifacts.size());
    ArtifactRow report = artifacts.get(0);
    assertEquals("evaluate", report.stage());
    assertEquals("report", report.kind());
    assertEquals("runs/r-art/report.json", report.objectKey());
    assertEquals("h1b", report.sha256());
    assertEquals(600, report.bytes());
    assertNotNull(report.createdAt());
    assertNull(artifacts.get(2).stage());
    assertNull(artifacts.get(2).sha256());

    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> repos.artifacts().recordArtifact("r-art", "w2s", "video", "k", "h", 1));
    assertTrue(e.getMessage().contains("video"), e.getMessage());

    repos
        .artifacts()
        .recordExportedModel("r-art", "portrait-4step", "models/p4/", "m1", "{\"fvd\":123.5}");
    repos.artifacts().recordExportedModel("r-art", "portrait-1step", "models/p1/", "m2", null);
    repos
        .artifacts()
        .recordExportedModel("r-art", "portrait-4step", "models/p4/", "m1b", "{\"fvd\":120}");
    List<ExportedModelRow> models = repos.artifacts().exportedModels("r-art");
    assertEquals(
        List.of("portrait-4step", "portrait-1step"),
        models.stream().map(ExportedModelRow::name).toList());
    ExportedModelRow m = models.get(0);
    assertEquals("r-art", m.runId());
    assertEquals("models/p4/", m.objectPrefix());
    assertEquals("m1b", m.manifestSha256());
    assertSameJson("{\"fvd\":120}", m.metricsJson());
    assertNotNull(m.createdAt());
    assertNull(models.get(1).metricsJson());
  }
}
