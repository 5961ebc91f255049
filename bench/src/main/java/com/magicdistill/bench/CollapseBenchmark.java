package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.distill.GradientAlignment;
import com.magicdistill.engine.eval.Bootstrap;
import com.magicdistill.engine.eval.DynamicDegreeCalibration;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FeatureExtractors;
import com.magicdistill.engine.eval.FrechetIntervals;
import com.magicdistill.engine.eval.Interval;
import com.magicdistill.engine.eval.PairedMotion;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.engine.train.TrainingPhase;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code magic bench collapse}: does plain DMD degrade over long training, and does W2S prevent it
 * beyond what a smaller step would (docs/EVALUATION.md#collapse-study)? From one DMD-LoRA start,
 * three arms with the same number of generator updates and critic updates: plain DMD, W2S, and
 * plain DMD at the learning rate that matches W2S's effective step. Every {@code probeEvery}
 * updates each arm's EMA generator samples the probe clips (4-step re-noising sampler, the same
 * noise every time) and is scored against the held-out clips with the same first frames: fd_clip
 * and the paired motion ratio with 95% bootstrap intervals; each arm also logs cos(g_W2S, g_DMD)
 * and |g_W2S| / |g_DMD| (docs/ALGORITHM.md#w2s-alignment). Results are rewritten after every arm.
 */
public final class CollapseBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(CollapseBenchmark.class);
  private static final long NOISE_SEED = 4242;
  static final String START = "start";

  private final CollapseStudy study;
  private final String presetName;
  private final Path resultsDir;
  private final Path workDir;
  private final Path teacherDir;
  private final Progress progress;
  private final String options;
  private Set<String> arms;

  /**
   * @param teacherDir a teacher phase folder to reuse (e.g. the teacher benchmark's {@code
   *     <work>/teacher}, trained on {@code study}'s teacher preset), or null to train one here
   * @param options the command's options that changed {@code study}, as typed (recorded)
   */
  CollapseBenchmark(
      String presetName,
      CollapseStudy study,
      Path resultsDir,
      Path workDir,
      Path teacherDir,
      Progress progress,
      String options) {
    this.presetName = presetName;
    this.study = study;
    this.resultsDir = resultsDir;
    this.workDir = workDir;
    this.teacherDir = teacherDir;
    this.progress = progress;
    this.options = options;
  }

  /** The study of {@code preset} with the command's overrides (null: the study's own). */
  public static CollapseBenchmark of(
      String preset,
      String teacherPreset,
      Float generatorLr,
      Boolean backwardSimulation,
      Boolean gan,
      Path resultsDir,
      Path workDir,
      Path teacherDir,
      Progress progress) {
    CollapseStudy s = CollapseStudy.forPreset(preset);
    StringBuilder o = new StringBuilder();
    if (teacherPreset != null) {
      s = s.onTeacherPreset(EnginePreset.byName(teacherPreset));
      o.append(" --teacher-preset ").append(teacherPreset);
    }
    if (generatorLr != null) {
      s = s.withStart(s.start().withGeneratorLr(generatorLr));
      o.append(" --generator-lr ").append(generatorLr);
    }
    if (backwardSimulation != null) {
      s = s.withStart(s.start().withBackwardSimulation(backwardSimulation));
      o.append(" --backward-simulation ").append(backwardSimulation);
    }
    if (gan != null) {
      s = s.withStart(s.start().withGan(gan));
      o.append(" --gan ").append(gan);
    }
    return new CollapseBenchmark(
        preset, s, resultsDir, workDir, teacherDir, progress, o.toString());
  }

  CollapseStudy study() {
    return study;
  }

  /** Every option that changes the results, so the command reproduces them. */
  String command() {
    return "./magic bench collapse --preset "
        + presetName
        + (teacherDir == null ? "" : " --teacher " + teacherDir)
        + options
        + " --results "
        + resultsDir
        + BenchResults.workOption(workDir);
  }

  /**
   * Runs only {@code names} of the arms (null: all), reusing the start in the work folder; such a
   * run writes its parts under the work folder and no results: the run without {@code --arms}
   * gathers them.
   */
  public CollapseBenchmark onlyArms(Set<String> names) {
    if (names != null && teacherDir == null) {
      throw new IllegalArgumentException(
          "--arms: give --teacher too, so that every process reads the same trained teacher"
              + " (train one with ./magic bench teacher)");
    }
    if (names != null) {
      for (String a : names) {
        if (!study.arms().containsKey(a)) {
          throw new IllegalArgumentException(
              "--arms: unknown arm '" + a + "'; choose from " + String.join(", ", armNames()));
        }
      }
    }
    CollapseBenchmark b =
        new CollapseBenchmark(
            presetName,
            study,
            resultsDir,
            workDir,
            teacherDir,
            progress,
            options
                + (names == null
                    ? ""
                    : " --arms "
                        + String.join(",", armNames().stream().filter(names::contains).toList())));
    b.arms = names;
    return b;
  }

  private List<String> armNames() {
    return new ArrayList<>(study.arms().keySet());
  }

  public Map<String, Object> run() throws IOException {
    long start = System.nanoTime();
    String started = Instant.now().toString();
    EnginePreset tp = study.preset().teacher();
    FeatureExtractor fx = FeatureExtractors.defaultExtractor();
    Bootstrap bootstrap = BenchBootstrap.forPreset(tp);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("preset", presetName);
    json.put("teacher_preset", tp.name());
    json.put("command", command());
    json.put("teacher", teacherDir == null ? "trained in this run" : teacherDir.toString());
    json.put("feature_extractor", fx.id());
    json.put("bootstrap", Map.of("resamples", bootstrap.resamples(), "seed", bootstrap.seed()));
    json.put("probe_clips", study.probeClips());
    json.put("probe_every", study.probeEvery());
    json.put("start_iterations", study.start().iterations());
    json.put("arm_iterations", study.armIterations());
    json.put("alpha_weak", study.alphaWeak());
    json.put("lr_matching", study.lrMatching());
    json.put("distill", study.start());
    Map<String, Object> armRows = new LinkedHashMap<>();
    json.put("arms", armRows);
    Map<String, Object> timings = new LinkedHashMap<>();
    json.put("timings", timings);

    CollapseParts parts = new CollapseParts(workDir, json);
    Map<String, Map<String, Object>> done = parts.load(resultsDir.resolve(name() + ".json"));
    Set<String> wanted = arms == null ? study.arms().keySet() : arms;
    List<String> toRun = wanted.stream().filter(a -> !done.containsKey(a)).toList();
    ObjectStore store = new LocalDirectoryStore(workDir);
    boolean startUsable =
        toRun.isEmpty() || DistributionMatching.finished(store, START, study.start().iterations());
    if (done.containsKey(START) && !startUsable) {
      LOG.info("the start's checkpoints are not in {}: running it again, and every arm", workDir);
      done.clear();
      toRun = List.copyOf(wanted);
    }
    Process process = new Process(command(), started, start);

    try (NDManager root = NDManager.newBaseManager()) {
      Lab lab = null;
      Map<String, Object> startPart = done.get(START);
      if (startPart == null) {
        lab = new Lab(tp, fx, bootstrap, store, root, parts, timings);
        startPart = lab.runStart();
        startPart.put(CollapseParts.PROCESSES, List.of(process.now()));
        parts.save(START, startPart);
      }
      json.put(
          "start",
          Map.of("curve", startPart.get("curve"), "alignment", startPart.get("alignment")));
      timings.put("start_ms_per_iteration", startPart.get("ms_per_iteration"));
      if (arms == null) {
        write(json, done.values(), parts, process, startPart);
      }

      for (var arm : study.arms().entrySet()) {
        Map<String, Object> row = done.get(arm.getKey());
        if (row == null && toRun.contains(arm.getKey())) {
          if (lab == null) {
            lab = new Lab(tp, fx, bootstrap, store, root, parts, timings);
          }
          row = lab.runArm(arm.getKey(), arm.getValue(), startPart, process);
          parts.save(arm.getKey(), row);
          done.put(arm.getKey(), row);
        }
        if (row != null) {
          armRows.put(arm.getKey(), row);
          if (arms == null) {
            write(json, done.values(), parts, process, startPart);
          }
        }
      }
    }
    if (arms == null) {
      write(json, done.values(), parts, process, null);
      writePlot(json);
    } else {
      LOG.info(
          "arms {} are in {}; the same command without --arms writes the results",
          wanted,
          workDir.resolve(CollapseParts.FOLDER));
    }
    return json;
  }

  /** This process, as each part records it: its command, when it started, its wall time so far. */
  private record Process(String command, String started, long startNanos) {
    Map<String, Object> now() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", command);
      m.put("started", started);
      m.put("wall_s", (System.nanoTime() - startNanos) / 1e9);
      return m;
    }

    /** {@code earlier} and then this process. */
    List<Map<String, Object>> after(List<Map<String, Object>> earlier) {
      List<Map<String, Object>> all = new ArrayList<>(earlier);
      all.add(now());
      return all;
    }
  }

  /** What running a part needs: the data, the teacher, the probe; made only when a part runs. */
  private final class Lab {
    private final VideoDiT teacher;
    private final DistillStageRunner stages;
    private final ProbeScorer probe;
    private final List<Double> probeMs = new ArrayList<>();
    private final ObjectStore store;
    private final NDManager root;
    private final CollapseParts parts;

    Lab(
        EnginePreset tp,
        FeatureExtractor fx,
        Bootstrap bootstrap,
        ObjectStore store,
        NDManager root,
        CollapseParts parts,
        Map<String, Object> timings)
        throws IOException {
      this.store = store;
      this.root = root;
      this.parts = parts;
      PresetData data = PresetData.of(tp);
      List<Clip> probeReal = data.heldOut().subList(0, study.probeClips());
      List<float[]> probeFrames = data.firstFrames().subList(0, study.probeClips());
      PairedMotion motion =
          new PairedMotion(DynamicDegreeCalibration.on(data.heldOut()).dynamicDegree());
      ClipGenerator generator = new ClipGenerator(tp.data().shape(), 16);
      this.stages =
          new DistillStageRunner(
              data, fx, generator, progress, NOISE_SEED, study.probeClips(), study.probeEvery());
      this.probe =
          new ProbeScorer(
              generator,
              fx,
              bootstrap,
              motion,
              probeFrames,
              probeReal,
              motion.energies(probeReal),
              probeMs);
      this.teacher = teacher(data, store, root, timings);
    }

    /** The DMD-LoRA start, probed only at its end: that point opens every arm's curve. */
    Map<String, Object> runStart() throws IOException {
      probeMs.clear();
      List<Map<String, Object>> curve = new ArrayList<>();
      List<Map<String, Object>> alignment = new ArrayList<>();
      DistillConfig cfg = study.start().withAlignment(study.probeEvery(), study.alphaWeak());
      var result =
          stages.run(
              START,
              cfg,
              null,
              teacher,
              store,
              root,
              (it, g) -> {
                if (it == cfg.iterations()) {
                  curve.add(probe.score(it, g));
                }
              },
              false,
              a -> alignment.add(alignment(a)),
              null);
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("curve", curve);
      part.put("alignment", alignment);
      part.put("ms_per_iteration", result.medianMsPerIteration());
      part.put("probe_ms", medianOrNull(probeMs));
      return part;
    }

    /**
     * One arm from the start's end; its curve opens with the start's last probe. After every probe
     * its curve so far is kept under the work folder, so that a run stopped in the middle continues
     * the arm from its newest checkpoint (losing at most one checkpoint interval); a probe lost
     * with the stop is taken again from that checkpoint's EMA generator.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> runArm(
        String name, DistillConfig cfg, Map<String, Object> startPart, Process process)
        throws IOException {
      probeMs.clear();
      Map<String, Object> partial = parts.loadPartial(name);
      // A continued arm counts the processes that worked on it before this one.
      List<Map<String, Object>> earlier =
          partial == null ? List.of() : CollapseParts.processesOf(partial);
      List<Map<String, Object>> curve =
          new ArrayList<>(
              (List<Map<String, Object>>)
                  (partial != null ? partial.get("curve") : startPart.get("curve")));
      List<Map<String, Object>> aligned =
          partial != null
              ? new ArrayList<>((List<Map<String, Object>>) partial.get("alignment"))
              : new ArrayList<>();
      DistillStageRunner.Probe scored =
          (it, g) -> {
            curve.add(probe.score(it, g));
            Map<String, Object> sofar = new LinkedHashMap<>();
            sofar.put("curve", curve);
            sofar.put("alignment", aligned);
            sofar.put(CollapseParts.PROCESSES, process.after(earlier));
            try {
              parts.savePartial(name, sofar);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          };
      DistillStageRunner.Resumed resumed =
          (it, generatorCheckpoint) -> {
            // What came after the checkpoint is done again.
            curve.removeIf(p -> MetricsTable.num(p, "iteration") > it);
            aligned.removeIf(a -> MetricsTable.num(a, "iteration") > it);
            boolean probed = curve.stream().anyMatch(p -> MetricsTable.num(p, "iteration") == it);
            LOG.info("{}: resumed at iteration {} with {} probes kept", name, it, curve.size());
            if (it % study.probeEvery() == 0 && !probed) {
              try (NDManager m = root.newSubManager()) {
                scored.at(it, ModelCheckpoints.loadEma(store, generatorCheckpoint, m));
              }
            }
          };
      var result =
          stages.run(
              name,
              cfg,
              START,
              teacher,
              store,
              root,
              scored,
              false,
              a -> aligned.add(alignment(a)),
              partial != null ? resumed : null);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("alpha_weak", cfg.alphaWeak());
      row.put("generator_lr", cfg.generatorLr());
      row.put("iterations", result.endIteration() - study.start().iterations());
      row.put("critic_updates", cfg.criticUpdates());
      row.put("ms_per_iteration", result.medianMsPerIteration());
      row.put("probe_ms", medianOrNull(probeMs));
      row.put("curve", curve);
      row.put("alignment", aligned);
      row.put(CollapseParts.PROCESSES, process.after(earlier));
      if (partial != null) {
        row.put("resumed", true);
      }
      LOG.info("{}: last probe {}", name, curve.get(curve.size() - 1));
      return row;
    }
  }

  /** Scores an EMA generator on the probe clips: fd_clip and the motion ratio with intervals. */
  private record ProbeScorer(
      ClipGenerator generator,
      FeatureExtractor fx,
      Bootstrap bootstrap,
      PairedMotion motion,
      List<float[]> frames,
      List<Clip> real,
      double[] realEnergy,
      List<Double> probeMs) {
    Map<String, Object> score(long iteration, VideoDiT emaGenerator) {
      long t0 = System.nanoTime();
      var g = generator.fourStepRenoising(emaGenerator, frames, NOISE_SEED, "probe");
      Interval fd = FrechetIntervals.clip(fx, g.clips(), real, bootstrap);
      Interval mr = bootstrap.ratioOfMeans(motion.energies(g.clips()), realEnergy);
      probeMs.add((System.nanoTime() - t0) / 1e6);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("iteration", iteration);
      p.put("fd_clip", fd.toMap());
      p.put("motion_ratio", mr.toMap());
      LOG.info(
          "iteration {}: fd_clip {} motion_ratio {}",
          iteration,
          String.format(Locale.ROOT, "%.4f", fd.value()),
          String.format(Locale.ROOT, "%.4f", mr.value()));
      return p;
    }
  }

  /** A measurement for the JSON; a NaN (both gradients zero) is written as null. */
  private static Map<String, Object> alignment(GradientAlignment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", a.iteration());
    m.put("cos", Double.isFinite(a.cosine()) ? a.cosine() : null);
    m.put("norm_ratio", Double.isFinite(a.normRatio()) ? a.normRatio() : null);
    m.put("one_minus_alpha", a.oneMinusAlpha());
    return m;
  }

  /**
   * Writes the results: the median probe time over the parts, and the processes that made them with
   * their wall times added up ({@code startPart}: the start, if it is not yet among {@code parts}).
   */
  @SuppressWarnings("unchecked")
  private void write(
      Map<String, Object> json,
      java.util.Collection<Map<String, Object>> finished,
      CollapseParts parts,
      Process process,
      Map<String, Object> startPart)
      throws IOException {
    List<Map<String, Object>> all = new ArrayList<>(finished);
    if (startPart != null && !all.contains(startPart)) {
      all.add(startPart);
    }
    List<Double> probeMs = new ArrayList<>();
    Map<String, Map<String, Object>> processes = new LinkedHashMap<>();
    for (Map<String, Object> p : all) {
      if (p.get("probe_ms") instanceof Number n && Double.isFinite(n.doubleValue())) {
        probeMs.add(n.doubleValue());
      }
      for (Map<String, Object> made : CollapseParts.processesOf(p)) {
        // This process's wall time as of now; another's once, with its longest record.
        Map<String, Object> m =
            process.started().equals(made.get("started")) ? process.now() : parts.longest(made);
        processes.merge(
            CollapseParts.key(made),
            m,
            (a, b) -> MetricsTable.num(a, "wall_s") >= MetricsTable.num(b, "wall_s") ? a : b);
      }
    }
    ((Map<String, Object>) json.get("timings")).put("probe_ms", medianOrNull(probeMs));
    json.put("processes", new ArrayList<>(processes.values()));
    json.put(
        "wall_s",
        processes.values().stream().mapToDouble(m -> MetricsTable.num(m, "wall_s")).sum());
    // Rendered from the JSON as written, as the committed-results check renders it.
    Map<String, Object> written =
        Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(json), Map.class);
    BenchResults.write(resultsDir, name(), json, CollapseTable.markdown(written));
  }

  private static Double medianOrNull(List<Double> values) {
    return values.isEmpty() ? null : Median.of(values);
  }

  String name() {
    return "collapse-" + presetName;
  }

  /** Three panels: fd_clip and motion ratio with their intervals, and cos(g_W2S, g_DMD). */
  private void writePlot(Map<String, Object> json) throws IOException {
    Map<String, List<double[]>> fd = new LinkedHashMap<>();
    Map<String, List<double[]>> mr = new LinkedHashMap<>();
    Map<String, List<double[]>> cos = new LinkedHashMap<>();
    CollapseTable.arms(json)
        .forEach(
            (name, arm) -> {
              fd.put(name, CollapseTable.series(arm, "fd_clip"));
              mr.put(name, CollapseTable.series(arm, "motion_ratio"));
              cos.put(name, CollapseTable.cosines(arm));
            });
    String x = "generator iteration";
    CurvePlot.writePanels(
        List.of(
            new CurvePlot.Panel("fd_clip of the 4-step EMA generator (95% interval)", x, "", fd),
            new CurvePlot.Panel("paired motion ratio (real = 1; 95% interval)", x, "", mr),
            new CurvePlot.Panel(
                "cos(g_W2S, g_DMD) at alpha " + study.alphaWeak() + " on the probe batch",
                x,
                "",
                cos)),
        resultsDir.resolve(name() + ".png"));
  }

  private VideoDiT teacher(
      PresetData data, ObjectStore store, NDManager root, Map<String, Object> timings)
      throws IOException {
    if (teacherDir != null) {
      Path abs = teacherDir.toAbsolutePath().normalize();
      LOG.info("reusing teacher {}", abs);
      return ModelCheckpoints.loadEma(
          new LocalDirectoryStore(abs.getParent()), abs.getFileName().toString(), root);
    }
    EnginePreset tp = study.preset().teacher();
    TeacherTraining.Listener listener =
        new TeacherTraining.Listener() {
          @Override
          public TrainingListener phaseStarted(String phase, TrainConfig cfg, long offset) {
            progress.start("train " + phase, cfg.steps());
            return s -> progress.step(s.step() + 1, "");
          }

          @Override
          public void phaseEnded(String phase, TrainingPhase.Result result) {
            progress.endPhase(result);
            timings.put(phase + "_ms_per_step", result.medianMsPerStep());
          }
        };
    return TeacherTraining.of(tp)
        .run(
            data.allClips(),
            data.kept(),
            root,
            CheckpointedRun.<TeacherTraining.Listener>fresh(store, "").listenedBy(listener))
        .model();
  }
}
