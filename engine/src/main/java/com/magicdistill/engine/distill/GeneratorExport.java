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
  private GeneratorExport() {}

  /**
   * @param stagePrefix the stage whose generator to export (e.g. {@code w2s})
   * @param teacherPrefix the teacher checkpoint the run distilled (its tensor sha256 goes in the
   *     card)
   */
  public static Map<String, String> export(
      ObjectStore store,
      String stagePrefix,
      ObjectStore teacherStore,
      String teacherPrefix,
      String runId,
      String datasetManifestSha256,
      Map<String, Object> hyperparameters,
      Map<String, Double> metrics,
      Path out)
      throws IOException {
    String teacherCheckpoint = ModelCheckpoints.resolve(teacherStore, teacherPrefix);
    String teacherSha = CheckpointIO.readManifest(teacherStore, teacherCheckpoint).sha256();
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
      return ModelPackage.write(out, generator, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card);
    }
  }
}
