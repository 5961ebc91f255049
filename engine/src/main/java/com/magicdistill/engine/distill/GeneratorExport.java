package com.magicdistill.engine.distill;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.export.ModelCard;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Stage 4 (docs/ALGORITHM.md#export): exports a distillation stage's EMA generator as a
 * self-contained model package with its lineage: nothing is merged into the teacher.
 */
public final class GeneratorExport {
  /** How a distilled 4-step generator is sampled (what its package records). */
  public static final SamplerKind SAMPLER = SamplerKind.RENOISE;

  public static final SigmaSchedule SCHEDULE = SigmaSchedule.FOUR_STEP;

  private GeneratorExport() {}

  /**
   * Where an exported generator comes from, written into its model card.
   *
   * @param teacherStore store of the teacher checkpoint the run distilled
   * @param teacherPrefix that teacher's phase prefix (its tensor sha256 goes in the card)
   * @param runId the run that produced the generator
   * @param datasetManifestSha256 sha256 of the training dataset's manifest
   * @param hyperparameters the settings the generator was distilled with
   * @param metrics scores to record in the card (may be empty)
   */
  public record Lineage(
      ObjectStore teacherStore,
      String teacherPrefix,
      String runId,
      String datasetManifestSha256,
      Map<String, Object> hyperparameters,
      Map<String, Double> metrics) {}

  /**
   * Writes the EMA generator of the stage under {@code stagePrefix} (e.g. {@code w2s}) in {@code
   * store} as a model package in folder {@code out}; returns the package's file sha256s.
   */
  public static Map<String, String> export(
      ObjectStore store, String stagePrefix, Lineage lineage, Path out) throws IOException {
    ObjectStore teacherStore = lineage.teacherStore();
    String teacherPrefix = lineage.teacherPrefix();
    String runId = lineage.runId();
    String datasetManifestSha256 = lineage.datasetManifestSha256();
    Map<String, Object> hyperparameters = lineage.hyperparameters();
    Map<String, Double> metrics = lineage.metrics();
    String teacherCheckpoint = ModelCheckpoints.resolve(teacherStore, teacherPrefix);
    String teacherSha = CheckpointIO.tensorSha256(teacherStore, teacherCheckpoint);
    try (NDManager m = NDManager.newBaseManager()) {
      VideoDiT generator = ModelCheckpoints.loadEma(store, stagePrefix + "/generator", m);
      ModelCard card =
          ModelCard.now(
              "magicdistill-" + stagePrefix + "-4step",
              stagePrefix,
              runId,
              datasetManifestSha256,
              teacherSha,
              hyperparameters,
              metrics,
              GeneratorExport.class.getPackage().getImplementationVersion() == null
                  ? "dev"
                  : GeneratorExport.class.getPackage().getImplementationVersion());
      return ModelPackage.write(out, generator, SCHEDULE, SAMPLER, card);
    }
  }
}
