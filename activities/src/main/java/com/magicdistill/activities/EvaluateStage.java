package com.magicdistill.activities;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.magicdistill.db.MetricPoint;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.export.LoadedModel;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.EvaluateOutputs;
import com.magicdistill.workflows.ExportOutputs;
import com.magicdistill.workflows.FineTuneOutputs;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 5, evaluate (docs/ALGORITHM.md#evaluate): loads the exported package exactly as a user
 * would (sha256 verified, no training code), generates the held-out portraits from their first
 * frames, and scores them against the teacher's Euler-4 on the same frames and noise: Frechet
 * distances, the VBench-style dimensions, model calls and time. Writes {@code
 * runs/<id>/evaluate/report.json} and the numbers to the {@code metrics} table.
 */
final class EvaluateStage implements Stage {
  private static final long NOISE_SEED = 4242;
  private static final ObjectWriter JSON = Json.PRETTY;

  @Override
  public StageOutputs run(StageRequest request, StageContext ctx) throws IOException {
    ctx.totalSteps(2);
    EnginePreset preset = ctx.settings().preset();
    int n = ctx.spec().evaluate().heldOutClips();
    var evaluation =
        new HeldOutEvaluation(
            FeatureExtractors.defaultExtractor(),
            HeldOutEvaluation.syntheticPortraits(preset.heldOutSeed(), n, preset.data().shape()),
            NOISE_SEED);
    Map<String, Object> methods = new LinkedHashMap<>();
    Map<String, Double> flat = new LinkedHashMap<>();
    String modelPrefix = request.input(ExportOutputs.MODEL);
    Path dir = download(ctx.store(), modelPrefix, ctx.workDir().resolve("model"));
    try (NDManager root = NDManager.newBaseManager()) {
      LoadedModel model = ModelPackage.load(dir, root);
      MethodMetrics exported =
          evaluation
              .score("eval", model.sampler().create(model.model(), model.schedule(), NOISE_SEED))
              .metrics();
      methods.put("exported_w2s4", exported.toMap());
      flatten("exported", exported, flat);
      VideoDiT teacher =
          ModelCheckpoints.loadEma(ctx.store(), request.input(FineTuneOutputs.TEACHER), root);
      MethodMetrics euler4 =
          evaluation.score("eval", SamplerKind.EULER, teacher, SigmaSchedule.FOUR_STEP).metrics();
      methods.put("teacher_euler4", euler4.toMap());
      flatten("teacher_euler4", euler4, flat);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("run_id", ctx.runId());
    report.put("model", modelPrefix);
    report.put("feature_extractor", evaluation.featureExtractor().id());
    report.put("held_out_clips", n);
    report.put("dynamic_degree_calibration", evaluation.calibration().toMap());
    report.put("methods", methods);
    byte[] bytes = JSON.writeValueAsBytes(report);
    String key = ctx.prefix("report.json");
    ctx.store().put(key, bytes);
    ctx.repositories()
        .artifacts()
        .recordArtifact(ctx.runId(), "evaluate", "report", key, Sha256.of(bytes), bytes.length);
    List<MetricPoint> points = new ArrayList<>();
    flat.forEach((k, v) -> points.add(new MetricPoint(k, 0, v)));
    ctx.repositories().metrics().recordMetrics(ctx.runId(), "evaluate", points);
    return new EvaluateOutputs(key).withMetrics(flat);
  }

  private static void flatten(String name, MethodMetrics m, Map<String, Double> out) {
    out.put(name + ".fd_clip", m.fdClip());
    out.put(name + ".fd_frame", m.fdFrame());
    out.put(name + ".vbench_avg", m.vbench().avg());
    out.put(name + ".ms_per_clip", m.wallMsPerClip());
  }

  /** Copies the package under {@code prefix} to {@code dir} (verified when loaded). */
  private static Path download(ObjectStore store, String prefix, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> files = new ArrayList<>(ModelPackage.FILES);
    files.add(ModelPackage.SUMS);
    for (String f : files) {
      try (InputStream in = store.openStream(ObjectStore.join(prefix, f))) {
        Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }
}
