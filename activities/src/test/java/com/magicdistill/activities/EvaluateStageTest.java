package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.magicdistill.db.ArtifactRow;
import com.magicdistill.engine.eval.Bootstrap;
import com.magicdistill.engine.export.ModelCard;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.TrainingCheckpoint;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.DistributionMatchingOutputs;
import com.magicdistill.workflows.EvaluateOutputs;
import com.magicdistill.workflows.EvaluatedMethod;
import com.magicdistill.workflows.ExportOutputs;
import com.magicdistill.workflows.FineTuneOutputs;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.SampleFiles;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The evaluate stage on untrained smoke-sized models: the report's four rows (same frames and
 * seeds), the sample clips in the store (MP4 decodes) and their artifact rows.
 */
@Timeout(600)
class EvaluateStageTest extends EmbeddedRepositoryTest {
  private static final String RUN = "r-eval";
  private static final int HELD_OUT = 3;
  private static final int SAMPLE_CLIPS = 2;

  @Test
  void theReportHasTheFourRowsAndTheSamplesAreWrittenAndRecorded() throws Exception {
    RunSpec spec =
        RunSpecOverrides.apply(
            RunSpecs.forPreset("smoke", RUN),
            Map.of(
                "evaluate.heldOutClips", HELD_OUT,
                "evaluate.sampleClips", SAMPLE_CLIPS,
                "evaluate.bootstrapResamples", 20));
    RunBookkeepingImpl.register(repos, spec, "test");
    ObjectStore store = new LocalDirectoryStore(dir.resolve("s3"));
    DitConfig dit = StageSettings.of(spec).preset().model();
    Map<String, String> inputs;
    try (NDManager m = NDManager.newBaseManager()) {
      String teacher = "runs/" + RUN + "/fine-tune/teacher/step-1";
      save(store, teacher, model(m, dit, 1), m);
      String dmd = "runs/" + RUN + "/dmd-lora/generator/step-1";
      save(store, dmd, model(m, dit, 2), m);
      String pkg = "runs/" + RUN + "/export/w2s4";
      Path local = dir.resolve("package");
      ModelPackage.write(
          local, model(m, dit, 3), SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card());
      for (String f : ModelPackage.FILES) {
        store.put(ObjectStore.join(pkg, f), Files.readAllBytes(local.resolve(f)));
      }
      store.put(
          ObjectStore.join(pkg, ModelPackage.SUMS),
          Files.readAllBytes(local.resolve(ModelPackage.SUMS)));
      inputs =
          Map.of(
              FineTuneOutputs.TEACHER.inputName(), teacher,
              DistributionMatchingOutputs.DMD_LORA_GENERATOR.inputName(), dmd,
              ExportOutputs.MODEL.inputName(), pkg);
    }
    long attempt = repos.stages().startAttempt(RUN, "evaluate", 1, "w", 0, null);
    StageOutputs out;
    long start = System.nanoTime();
    try (StageContext ctx =
        new StageContext(
            spec,
            PipelineStage.EVALUATE,
            store,
            repos,
            attempt,
            b -> true,
            new WorkerDrain(),
            dir.resolve("work"),
            HeartbeatPump.Timing.of(Duration.ofMinutes(30)))) {
      out =
          new EvaluateStage()
              .run(new StageRequest(RUN, PipelineStage.EVALUATE, spec, inputs, null), ctx);
    }
    System.out.printf("evaluate stage: %.1f s%n", (System.nanoTime() - start) / 1e9);

    JsonNode report = Json.MAPPER.readTree(store.get(out.artifacts().get("report")));
    JsonNode methods = report.get("methods");
    List<String> rows = new ArrayList<>();
    methods.fieldNames().forEachRemaining(rows::add);
    assertEquals(List.of("exported_w2s4", "dmd_lora4", "teacher_euler4", "teacher_euler28"), rows);
    Map<String, Integer> calls =
        Map.of("exported_w2s4", 4, "dmd_lora4", 4, "teacher_euler4", 4, "teacher_euler28", 28);
    for (String row : rows) {
      JsonNode r = methods.get(row);
      assertEquals(calls.get(row), r.get("model_calls").asInt(), row);
      for (String k : List.of("fd_frame", "fd_clip", "motion_ratio", "wall_ms_per_clip")) {
        assertTrue(r.get(k).isNumber(), row + "." + k);
      }
      assertTrue(r.get("vbench").has("avg"), row);
    }
    assertEquals(4242, report.get("noise_seed").asLong());
    assertEquals(HELD_OUT, report.get("held_out_clips").asInt());
    assertEquals(20, report.get("bootstrap").get("resamples").asInt());

    String prefix = out.artifacts().get(EvaluateOutputs.SAMPLES.name());
    assertEquals("runs/" + RUN + "/evaluate/samples", prefix);
    SampleFiles files = new SampleFiles(prefix);
    int clips = SAMPLE_CLIPS;
    assertEquals(clips, report.get("samples").get("clips").asInt());
    Set<String> expected = new HashSet<>();
    expected.add(files.contactSheet());
    for (int i = 0; i < clips; i++) {
      expected.add(files.firstFrame(i));
      for (EvaluatedMethod m : EvaluatedMethod.values()) {
        expected.add(files.mp4(m, i));
        expected.add(files.gif(m, i));
      }
    }
    assertTrue(!store.exists(files.firstFrame(clips)), "only the first " + clips + " clips");
    for (String key : expected) {
      assertTrue(store.exists(key), key);
    }
    assertEquals(16, frames(store, files.mp4(EvaluatedMethod.TEACHER_EULER28, 0)));
    List<ArtifactRow> samples =
        repos.artifacts().artifacts(RUN).stream().filter(a -> a.kind().equals("samples")).toList();
    assertEquals(expected, Set.copyOf(samples.stream().map(ArtifactRow::objectKey).toList()));
    for (ArtifactRow a : samples) {
      assertEquals(store.get(a.objectKey()).length, a.bytes(), a.objectKey());
      assertEquals(64, a.sha256().length(), a.objectKey());
    }
  }

  @Test
  void theSpecsDefaultDrawsAreTheEngines() {
    assertEquals(Bootstrap.DEFAULT_RESAMPLES, RunSpec.EvaluateSpec.DEFAULT_BOOTSTRAP_RESAMPLES);
    assertEquals(
        Bootstrap.DEFAULT_RESAMPLES,
        RunSpecs.forPreset("paper", "r-paper").evaluate().bootstrapResamples());
  }

  /** Decodes the MP4 under {@code key}; returns its frame count (each upscaled to 128x128). */
  private static int frames(ObjectStore store, String key) throws IOException {
    Path mp4 = dir.resolve("decoded.mp4");
    Files.write(mp4, store.get(key));
    int frames = 0;
    try (SeekableByteChannel ch = NIOUtils.readableChannel(mp4.toFile())) {
      FrameGrab grab = FrameGrab.createFrameGrab(ch);
      for (Picture p = grab.getNativeFrame(); p != null; p = grab.getNativeFrame()) {
        assertEquals(32 * EvaluationSamples.SCALE, p.getWidth(), key);
        frames++;
      }
    } catch (org.jcodec.api.JCodecException e) {
      throw new IOException(e);
    }
    return frames;
  }

  /** An untrained model with noise on every weight (adaLN-Zero would otherwise output zeros). */
  private static VideoDiT model(NDManager m, DitConfig cfg, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    VideoDiT model = new VideoDiT(cfg);
    model.initialize(m);
    for (Parameter p : model.getParameters().values()) {
      NDArray a = p.getArray();
      a.addi(m.randomNormal(0f, 0.05f, a.getShape(), a.getDataType()));
    }
    return model;
  }

  /** A weights-only checkpoint whose config names the architecture (as training writes). */
  private static void save(ObjectStore store, String prefix, VideoDiT model, NDManager m)
      throws IOException {
    String config = Json.MAPPER.writeValueAsString(Map.of("model", model.config()));
    try (TrainingCheckpoint cp = TrainingCheckpoint.capture(model, null, null, 1, 1, config, m)) {
      CheckpointIO.save(store, prefix, cp);
    }
  }

  private static ModelCard card() {
    return new ModelCard(
        "test-w2s",
        "w2s",
        RUN,
        "a".repeat(64),
        "b".repeat(64),
        Map.of(),
        Map.of(),
        "2026-12-02T00:00:00Z",
        "test");
  }
}
