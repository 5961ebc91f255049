package com.magicdistill.activities;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.DatasetManifest;
import com.magicdistill.engine.data.DatasetReader;
import com.magicdistill.engine.data.DatasetWriter;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.FineTuneOutputs;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 1, fine-tune (docs/ALGORITHM.md#teacher): the dataset (synthetic from the preset, or shards
 * under {@code data.datasetPrefix}) is quality-filtered and stored under {@code
 * runs/<id>/fine-tune/data}; with {@code baseModel = pretrain} a base is first pretrained on all
 * clips; then the teacher is fine-tuned on the kept portraits ({@link TeacherTraining}). Outputs:
 * {@link FineTuneOutputs}.
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
    TeacherTraining training = st.teacherTraining();
    ctx.totalSteps(training.totalSteps(pretrain));
    var run =
        new CheckpointedRun<TeacherTraining.Listener>(
            ctx.store(),
            ctx.prefix(),
            true,
            (phase, cfg, offset) -> ctx.phaseListener(phase, offset),
            ctx.control());
    Map<String, Double> metrics = new LinkedHashMap<>();
    try (NDManager root = NDManager.newBaseManager()) {
      TeacherTraining.Result trained =
          pretrain
              ? training.run(all, kept, root, run)
              : training.fineTune(
                  ModelCheckpoints.loadEma(ctx.store(), ctx.spec().baseModel(), root), kept, run);
      if (trained.stopped()) {
        return null;
      }
      if (trained.base() != null) {
        metrics.put("base_loss", (double) trained.base().summary().lastLoss());
      }
      metrics.put("teacher_loss", (double) trained.teacher().summary().lastLoss());
    }
    String teacherPrefix = ctx.prefix(TeacherTraining.TEACHER);
    String teacherCheckpoint = ModelCheckpoints.resolve(ctx.store(), teacherPrefix);
    metrics.put("kept_clips", (double) kept.size());
    return new FineTuneOutputs(
            dataPrefix,
            manifestSha,
            teacherPrefix,
            teacherCheckpoint,
            CheckpointIO.tensorSha256(ctx.store(), teacherCheckpoint))
        .withMetrics(metrics);
  }
}
