package com.magicdistill.activities;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.DatasetManifest;
import com.magicdistill.engine.data.DatasetReader;
import com.magicdistill.engine.data.DatasetWriter;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.TrainingPhase;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 1, fine-tune (docs/ALGORITHM.md#teacher): the dataset (synthetic from the preset, or shards
 * under {@code data.datasetPrefix}) is quality-filtered and stored under {@code
 * runs/<id>/fine-tune/data}; with {@code baseModel = pretrain} a base is first pretrained on all
 * clips; then the teacher is fine-tuned on the kept portraits ({@link TrainingPhase}). Outputs:
 * {@code data}, {@code dataManifestSha256}, {@code teacher} (phase prefix) and {@code
 * teacherCheckpoint}.
 */
final class FineTuneStage implements Stage {
  @Override
  public StageOutputs run(StageRequest request, StageContext ctx) throws IOException {
    StageSettings st = ctx.settings();
    EnginePreset preset = st.preset();
    String dataPrefix = ctx.prefix("data");
    List<Clip> all;
    List<Clip> kept;
    if (RunSpec.DataSpec.SYNTHETIC.equals(ctx.spec().data().source())) {
      PresetData data = PresetData.of(preset);
      all = data.allClips();
      kept = data.kept();
      if (!ctx.store().exists(ObjectStore.join(dataPrefix, DatasetManifest.FILE_NAME))) {
        var dir = ctx.workDir().resolve("data");
        DatasetWriter.write(dir, preset.data().shape(), 256, data.all(), data.filter());
        StageData.upload(ctx.store(), dir, dataPrefix);
      }
    } else {
      DatasetReader reader =
          StageData.download(
              ctx.store(), ctx.spec().data().datasetPrefix(), ctx.workDir().resolve("data"));
      all = StageData.clips(reader.readAll());
      kept = StageData.clips(reader.readKept());
      if (kept.isEmpty()) {
        throw new IllegalArgumentException(
            "data.datasetPrefix: no clip of the dataset passed the quality filter: run"
                + " 'magic data ingest' with the filter, or give another dataset");
      }
      if (!ctx.store().exists(ObjectStore.join(dataPrefix, DatasetManifest.FILE_NAME))) {
        StageData.upload(ctx.store(), ctx.workDir().resolve("data"), dataPrefix);
      }
    }
    String manifestSha =
        Sha256.of(ctx.store().get(ObjectStore.join(dataPrefix, DatasetManifest.FILE_NAME)));
    boolean pretrain = "pretrain".equals(ctx.spec().baseModel());
    long baseSteps = pretrain ? st.base().steps() : 0;
    ctx.totalSteps(baseSteps + st.fineTune().steps());
    Map<String, Double> metrics = new LinkedHashMap<>();
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT model;
      if (pretrain) {
        Engine.getInstance().setRandomSeed((int) st.base().seed());
        model = new VideoDiT(preset.model().withLora(0, Set.of()));
        model.initialize(root);
        var base =
            new TrainingPhase("base", st.base(), preset.batchSize(), preset.trainShift())
                .run(
                    model,
                    all,
                    ctx.store(),
                    ctx.prefix("base"),
                    true,
                    ctx.phaseListener("base", 0),
                    ctx.control());
        if (base.stopped()) {
          return null;
        }
        metrics.put("base_loss", (double) base.summary().lastLoss());
      } else {
        model = ModelCheckpoints.loadEma(ctx.store(), ctx.spec().baseModel(), root);
      }
      var teacher =
          new TrainingPhase(
                  "teacher",
                  st.fineTune(),
                  request.spec().fineTune().batchSize(),
                  preset.trainShift())
              .run(
                  model,
                  kept,
                  ctx.store(),
                  ctx.prefix("teacher"),
                  true,
                  ctx.phaseListener("teacher", baseSteps),
                  ctx.control());
      if (teacher.stopped()) {
        return null;
      }
      metrics.put("teacher_loss", (double) teacher.summary().lastLoss());
    }
    String teacherCheckpoint = ModelCheckpoints.resolve(ctx.store(), ctx.prefix("teacher"));
    Map<String, String> artifacts = new LinkedHashMap<>();
    artifacts.put("data", dataPrefix);
    artifacts.put("dataManifestSha256", manifestSha);
    artifacts.put("teacher", ctx.prefix("teacher"));
    artifacts.put("teacherCheckpoint", teacherCheckpoint);
    artifacts.put(
        "teacherSha256", CheckpointIO.readManifest(ctx.store(), teacherCheckpoint).sha256());
    metrics.put("kept_clips", (double) kept.size());
    return new StageOutputs(artifacts, metrics);
  }
}
