package com.magicdistill.workflows;

import java.util.Map;

/**
 * What the export stage produces.
 *
 * @param model prefix of the model package
 * @param sha256sums sha256 of the package's SHA256SUMS file
 */
public record ExportOutputs(String model, String sha256sums) {
  public static final ArtifactKey MODEL = key("model");
  public static final ArtifactKey SHA256SUMS = key("sha256sums");

  public StageOutputs toStageOutputs() {
    return new StageOutputs(Map.of(MODEL.name(), model, SHA256SUMS.name(), sha256sums), Map.of());
  }

  private static ArtifactKey key(String name) {
    return new ArtifactKey(PipelineStage.EXPORT, name);
  }
}
