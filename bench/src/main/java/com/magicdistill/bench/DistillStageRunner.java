package com.magicdistill.bench;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.PresetData;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.DistillModels;
import com.magicdistill.engine.distill.DistillationStages;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.distill.GradientAlignment;
import com.magicdistill.engine.eval.FeatureExtractor;
import com.magicdistill.engine.eval.FrechetScores;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ModelCheckpoints;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one distribution-matching stage for a benchmark, with a progress bar and, optionally, the
 * fd_clip probe curve of the EMA generator (4-step re-noising sampler on the probe clips, scored
 * against the same held-out clips whose first frames it started from).
 */
final class DistillStageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DistillStageRunner.class);

  private final PresetData data;
  private final FeatureExtractor fx;
  private final ClipGenerator generator;
  private final Progress progress;
  private final long noiseSeed;
  private final int probeClips;
  private final int probeEvery;

  DistillStageRunner(
      PresetData data,
      FeatureExtractor fx,
      ClipGenerator generator,
      Progress progress,
      long noiseSeed,
      int probeClips,
      int probeEvery) {
    this.data = data;
    this.fx = fx;
    this.generator = generator;
    this.progress = progress;
    this.noiseSeed = noiseSeed;
    this.probeClips = probeClips;
    this.probeEvery = probeEvery;
  }

  /** What a stage's listener does at a probe: the EMA generator after {@code iteration} updates. */
  interface Probe {
    void at(long iteration, VideoDiT emaGenerator);
  }

  /** Told when a stage resumed from its own checkpoint pair of {@code iteration}. */
  interface Resumed {
    void at(long iteration, String generatorCheckpoint) throws IOException;
  }

  /**
   * @param initFrom stage whose generator and LoRA this one continues, or null to start from the
   *     teacher
   * @param curve receives {@code [iteration, fd_clip]} probes (one at iteration 0 if it is empty),
   *     or null for no probes
   */
  DistributionMatching.Result run(
      String name,
      DistillConfig cfg,
      String initFrom,
      VideoDiT teacher,
      ObjectStore store,
      NDManager root,
      List<double[]> curve)
      throws IOException {
    Probe fdClip = curve == null ? null : fdClip(name, curve);
    return run(
        name,
        cfg,
        initFrom,
        teacher,
        store,
        root,
        fdClip,
        curve != null && curve.isEmpty(),
        null,
        null);
  }

  /** Appends {@code [iteration, fd_clip]} of each probed EMA generator to {@code curve}. */
  private Probe fdClip(String name, List<double[]> curve) {
    // Like with like: the generated clips against the held-out clips they start from.
    List<float[]> probeFrames = data.firstFrames().subList(0, probeClips);
    var probeReal = data.heldOut().subList(0, probeClips);
    return (iteration, emaGenerator) -> {
      var g = generator.fourStepRenoising(emaGenerator, probeFrames, noiseSeed, "probe");
      double fd = FrechetScores.clip(fx, g.clips(), probeReal);
      curve.add(new double[] {iteration, fd});
      LOG.info("{} iteration {}: fd_clip {}", name, iteration, fd);
    };
  }

  /**
   * The fd_clip curve of a finished stage, probed afterwards from its checkpoints: the EMA
   * generator of every checkpoint pair after {@code afterIteration} whose iteration is a multiple
   * of the probe interval, and of the last one; with {@code fromTeacher}, first the generator as
   * built from the teacher (iteration 0). The same probe as during training, so a stage trained in
   * another process gets the curve it would have had.
   */
  List<double[]> curveFromCheckpoints(
      String name,
      DistillConfig cfg,
      VideoDiT teacher,
      ObjectStore store,
      NDManager root,
      long afterIteration,
      boolean fromTeacher)
      throws IOException {
    List<double[]> curve = new java.util.ArrayList<>();
    Probe probe = fdClip(name, curve);
    if (fromTeacher) {
      try (NDManager m = root.newSubManager()) {
        probe.at(0, DistillModels.fromTeacher(teacher, cfg, m).generator());
      }
    }
    var pairs = DistributionMatching.checkpoints(store, name);
    for (int i = 0; i < pairs.size(); i++) {
      var c = pairs.get(i);
      boolean last = i == pairs.size() - 1;
      boolean onGrid = probeEvery > 0 && c.iteration() % probeEvery == 0;
      if (c.iteration() > afterIteration && (onGrid || last)) {
        progress.start("probe " + name + " at iteration " + c.iteration(), 1);
        try (NDManager m = root.newSubManager()) {
          probe.at(c.iteration(), ModelCheckpoints.loadEma(store, c.generator(), m));
        } finally {
          progress.end();
        }
      }
    }
    return curve;
  }

  /**
   * One stage with a progress bar; {@code probe} (or null) runs every {@code probeEvery} updates
   * and after the last, and before the first when {@code probeAtStart}; {@code alignments} (or
   * null) receives the stage's cos(g_W2S, g_DMD) measurements. With {@code resumed} (or null for a
   * fresh stage) the stage continues from its own newest checkpoint pair, if it has one, and {@code
   * resumed} is told which.
   */
  DistributionMatching.Result run(
      String name,
      DistillConfig cfg,
      String initFrom,
      VideoDiT teacher,
      ObjectStore store,
      NDManager root,
      Probe probe,
      boolean probeAtStart,
      Consumer<GradientAlignment> alignments,
      Resumed resumed)
      throws IOException {
    long[] first = {0};
    var listener =
        new DistributionMatching.Listener() {
          @Override
          public void onStart(VideoDiT generator) {
            if (probe != null && probeAtStart) {
              probe.at(0, generator);
            }
          }

          @Override
          public void onUpdates(long done, long last) {
            // The bar counts this stage's updates; a resumed stage's bar starts where it stopped.
            first[0] = last - cfg.iterations();
            progress.start("distill " + name, cfg.iterations(), Math.max(0, done - first[0]));
          }

          @Override
          public void onIteration(DistributionMatching.IterationStats s) {
            progress.step(
                s.iteration() - first[0],
                String.format(
                    Locale.ROOT, "gen %.4f critic %.4f", s.generatorLoss(), s.criticLoss()));
          }

          @Override
          public void onAlignment(GradientAlignment a) {
            if (alignments != null) {
              alignments.accept(a);
            }
          }

          @Override
          public void onResume(long iteration, String generatorCheckpoint) {
            if (resumed != null) {
              try {
                resumed.at(iteration, generatorCheckpoint);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }

          @Override
          public void probe(long iteration, VideoDiT emaGenerator) {
            if (probe != null) {
              probe.at(iteration, emaGenerator);
            }
          }
        };
    try {
      return DistillationStages.stage(
          cfg,
          teacher,
          data.kept(),
          root,
          initFrom,
          probe == null ? 0 : probeEvery,
          CheckpointedRun.<DistributionMatching.Listener>fresh(store, name)
              .resuming(resumed != null)
              .listenedBy(listener));
    } finally {
      progress.end();
    }
  }
}
