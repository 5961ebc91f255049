package com.magicdistill.workflows;

import java.util.Map;

/**
 * What the fine-tune stage produces.
 *
 * @param data prefix of the quality-filtered dataset (shards + manifest)
 * @param dataManifestSha256 sha256 of that dataset's manifest
 * @param teacher prefix of the teacher phase's checkpoints
 * @param teacherCheckpoint the teacher's final checkpoint
 * @param teacherSha256 sha256 of that checkpoint's tensors
 */
public record FineTuneOutputs(
    String data,
    String dataManifestSha256,
    String teacher,
    String teacherCheckpoint,
    String teacherSha256) {
  public static final ArtifactKey DATA = key("data");
  public static final ArtifactKey DATA_MANIFEST_SHA256 = key("dataManifestSha256");
  public static final ArtifactKey TEACHER = key("teacher");
  public static final ArtifactKey TEACHER_CHECKPOINT = key("teacherCheckpoint");
  public static final ArtifactKey TEACHER_SHA256 = key("teacherSha256");

  /** These artifacts with the stage's summary numbers. */
  public StageOutputs withMetrics(Map<String, Double> metrics) {
    return new StageOutputs(
        Map.of(
            DATA.name(), data,
            DATA_MANIFEST_SHA256.name(), dataManifestSha256,
            TEACHER.name(), teacher,
            TEACHER_CHECKPOINT.name(), teacherCheckpoint,
            TEACHER_SHA256.name(), teacherSha256),
        metrics);
  }

  private static ArtifactKey key(String name) {
    return new ArtifactKey(PipelineStage.FINE_TUNE, name);
  }
}
