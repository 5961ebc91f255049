package com.magicdistill.activities;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.magicdistill.db.MetricPoint;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.distill.GeneratorExport;
import com.magicdistill.engine.eval.Bootstrap;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import com.magicdistill.engine.eval.MethodMetrics;
import com.magicdistill.engine.export.LoadedModel;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.Sampler;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.DistributionMatchingOutputs;
import com.magicdistill.workflows.EvaluateOutputs;
import com.magicdistill.workflows.EvaluatedMethod;
import com.magicdistill.workflows.ExportOutputs;
import com.magicdistill.workflows.FineTuneOutputs;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.SampleFiles;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5, evaluate (docs/ALGORITHM.md#evaluate): loads the exported package exactly as a user
 * would (sha256 verified, no training code) and generates the held-out portraits from their first
 * frames with it and with the baselines a user compares it to ({@link EvaluatedMethod}: DMD2-4 from
 * the DMD-LoRA stage, the teacher's Euler-4 and Euler-28), all from the same frames and noise, and
 * scores each: Frechet distances, motion ratio, the VBench-style dimensions, model calls and time.
 * Writes {@code runs/<id>/evaluate/report.json}, the sample clips ({@link SampleFiles}) and the
 * numbers to the {@code metrics} table (docs/EVALUATION.md#a-runs-report). A pause or cancel stops
 * it after the method being scored; it has no checkpoint, so it starts over when resumed.
 */
final class EvaluateStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateStage.class);
  private static final long NOISE_SEED = 4242;

  private static final ObjectWriter JSON = Json.PRETTY;

  @Override
  public StageOutputs run(StageRequest request, StageContext ctx) throws IOException {
    EnginePreset preset = ctx.settings().preset();
    RunSpec.EvaluateSpec spec = ctx.spec().evaluate();
    int n = spec.heldOutClips();
    var evaluation =
        new HeldOutEvaluation(
            FeatureExtractors.defaultExtractor(),
            HeldOutEvaluation.syntheticPortraits(preset.heldOutSeed(), n, preset.data()),
            NOISE_SEED,
            new Bootstrap(spec.bootstrapResamples(), Bootstrap.DEFAULT_SEED));
    Map<EvaluatedMethod, HeldOutEvaluation.Scored> scored = new LinkedHashMap<>();
    String modelPrefix = request.input(ExportOutputs.MODEL);
    Path dir = download(ctx.store(), modelPrefix, ctx.workDir().resolve("model"));
    try (NDManager root = NDManager.newBaseManager()) {
      LoadedModel model = ModelPackage.load(dir, root);
      VideoDiT teacher =
          ModelCheckpoints.loadEma(ctx.store(), request.input(FineTuneOutputs.TEACHER), root);
      VideoDiT dmd =
          ModelCheckpoints.loadEma(
              ctx.store(), request.input(DistributionMatchingOutputs.DMD_LORA_GENERATOR), root);
      ctx.totalSteps(EvaluatedMethod.values().length);
      // Each method's wall time is measured as it samples; warm the process first.
      evaluation.warmUp(teacher);
      for (EvaluatedMethod method : EvaluatedMethod.values()) {
        Sampler sampler =
            switch (method) {
              case EXPORTED_W2S4 ->
                  model.sampler().create(model.model(), model.schedule(), NOISE_SEED);
              case DMD_LORA4 ->
                  GeneratorExport.SAMPLER.create(dmd, GeneratorExport.SCHEDULE, NOISE_SEED);
              case TEACHER_EULER4 ->
                  SamplerKind.EULER.create(teacher, SigmaSchedule.FOUR_STEP, NOISE_SEED);
              case TEACHER_EULER28 ->
                  SamplerKind.EULER.create(teacher, preset.teacherSchedule(), NOISE_SEED);
            };
        long t0 = System.nanoTime();
        scored.put(method, evaluation.score(method.key(), sampler));
        ctx.stepDone(scored.size());
        LOG.info(
            "{}: {} sampled and scored in {} ms",
            ctx.runId(),
            method.key(),
            (System.nanoTime() - t0) / 1_000_000);
        if (ctx.stopRequestedByWorkflow()) {
          // pause or cancel: the stage keeps no checkpoint, so it scores every method again later
          return null;
        }
      }
    }
    Map<String, Object> methods = new LinkedHashMap<>();
    Map<String, Double> flat = new LinkedHashMap<>();
    Map<EvaluatedMethod, List<Clip>> clips = new LinkedHashMap<>();
    scored.forEach(
        (method, s) -> {
          methods.put(method.key(), s.metrics().toMap());
          flatten(metricPrefix(method), s.metrics(), flat);
          clips.put(method, s.clips());
        });
    long t0 = System.nanoTime();
    SampleFiles files = new SampleFiles(ctx.prefix("samples"));
    Map<String, Object> samples =
        new EvaluationSamples(ctx.store(), ctx.repositories().artifacts(), ctx.runId(), "evaluate")
            .write(
                files,
                ctx.workDir().resolve("samples"),
                evaluation.heldOut(),
                clips,
                Math.min(spec.sampleClips(), n));
    LOG.info("{}: samples written in {} ms", ctx.runId(), (System.nanoTime() - t0) / 1_000_000);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("run_id", ctx.runId());
    report.put("model", modelPrefix);
    report.put("feature_extractor", evaluation.featureExtractor().id());
    report.put("held_out_clips", n);
    report.put("noise_seed", NOISE_SEED);
    report.put("dynamic_degree_calibration", evaluation.calibration().toMap());
    report.put(
        "bootstrap",
        Map.of(
            "resamples", evaluation.bootstrap().resamples(),
            "seed", evaluation.bootstrap().seed()));
    report.put("methods", methods);
    report.put("samples", samples);
    byte[] bytes = JSON.writeValueAsBytes(report);
    String key = ctx.prefix("report.json");
    ctx.store().put(key, bytes);
    ctx.repositories()
        .artifacts()
        .recordArtifact(ctx.runId(), "evaluate", "report", key, Sha256.of(bytes), bytes.length);
    List<MetricPoint> points = new ArrayList<>();
    flat.forEach((k, v) -> points.add(new MetricPoint(k, 0, v)));
    ctx.repositories().metrics().recordMetrics(ctx.runId(), "evaluate", points);
    // No samples (evaluate.sampleClips 0): no prefix, which would name nothing in the store.
    String samplesPrefix = Math.min(spec.sampleClips(), n) > 0 ? files.prefix() : null;
    return new EvaluateOutputs(key, samplesPrefix).withMetrics(flat);
  }

  /** The metric series prefix: {@code exported} for the package (as before the baselines). */
  private static String metricPrefix(EvaluatedMethod method) {
    return method == EvaluatedMethod.EXPORTED_W2S4 ? "exported" : method.key();
  }

  private static void flatten(String name, MethodMetrics m, Map<String, Double> out) {
    out.put(name + ".fd_clip", m.fdClip());
    out.put(name + ".fd_frame", m.fdFrame());
    out.put(name + ".vbench_avg", m.vbench().avg());
    if (m.motionRatio() != null) {
      out.put(name + ".motion_ratio", m.motionRatio());
    }
    out.put(name + ".model_calls", (double) m.modelCalls());
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
