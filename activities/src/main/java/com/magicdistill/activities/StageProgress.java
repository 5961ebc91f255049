package com.magicdistill.activities;

import com.magicdistill.db.Repositories;
import com.magicdistill.engine.distill.DistributionMatching;
import com.magicdistill.engine.distill.GradientAlignment;
import com.magicdistill.engine.train.StepStats;
import com.magicdistill.engine.train.TrainingListener;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the engine reports during a stage (steps, checkpoints, where it resumed) into the
 * attempt's heartbeats, metric series, checkpoint rows and recorded start. Steps of later phases
 * are offset so the stage counts one sequence over all its phases.
 */
final class StageProgress {
  private static final Logger LOG = LoggerFactory.getLogger(StageProgress.class);

  private final String name;
  private final Repositories repositories;
  private final long attemptId;
  private final HeartbeatPump heartbeats;
  private final MetricBuffer metrics;
  private final CheckpointRecorder checkpoints;
  // The last step's loss (a distillation generator's): what checkpoint retention ranks by.
  private double rankLoss = Double.NaN;

  StageProgress(
      String name,
      Repositories repositories,
      long attemptId,
      HeartbeatPump heartbeats,
      MetricBuffer metrics,
      CheckpointRecorder checkpoints) {
    this.name = name;
    this.repositories = repositories;
    this.attemptId = attemptId;
    this.heartbeats = heartbeats;
    this.metrics = metrics;
    this.checkpoints = checkpoints;
  }

  /** A listener for a training phase whose steps start at {@code offset} in the stage's count. */
  TrainingListener phaseListener(String phase, long offset) {
    return new TrainingListener() {
      @Override
      public void onStep(StepStats s) {
        long step = offset + s.step() + 1;
        rankLoss = s.loss();
        heartbeats.progressed(step, s.loss());
        metrics.add(step, Map.of(phase + ".loss", (double) s.loss()));
      }

      @Override
      public void onCheckpoint(long completedSteps, String prefix) {
        checkpointed(prefix, offset + completedSteps, Set.of());
      }

      @Override
      public void onResume(long step, String prefix) {
        resumed(offset + step, prefix);
      }
    };
  }

  /**
   * A listener for a distribution-matching stage (its iterations are the stage's steps). Its
   * heartbeats carry the critic's loss: the generator's DMD loss is a surrogate whose value stays
   * near 0 (only its gradient matters), so it tells a watcher nothing.
   */
  DistributionMatching.Listener distillListener(long offset) {
    return new DistributionMatching.Listener() {
      @Override
      public void onIteration(DistributionMatching.IterationStats s) {
        long step = offset + s.iteration();
        rankLoss = s.generatorLoss();
        heartbeats.progressed(step, s.criticLoss());
        metrics.add(
            step,
            Map.of(
                "generator.loss", (double) s.generatorLoss(),
                "critic.loss", (double) s.criticLoss(),
                "generator.grad_norm", (double) s.generatorGradNorm()));
      }

      @Override
      public void onAlignment(GradientAlignment a) {
        // docs/ALGORITHM.md#w2s-alignment; NaN (both gradients zero) is left out of the series
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("alignment.one_minus_alpha", a.oneMinusAlpha());
        if (Double.isFinite(a.cosine())) {
          m.put("alignment.cos", a.cosine());
        }
        if (Double.isFinite(a.normRatio())) {
          m.put("alignment.norm_ratio", a.normRatio());
        }
        metrics.add(offset + a.iteration(), m);
      }

      @Override
      public void onCheckpoint(long iteration, String generator, String critic) {
        checkpointed(generator, offset + iteration, Set.of(critic));
      }

      @Override
      public void onResume(long iteration, String generator) {
        resumed(offset + iteration, generator);
      }
    };
  }

  /** Records the checkpoint (and its companions), flushes the series, heartbeats its key. */
  void checkpointed(String key, long atStep, Set<String> companions) {
    checkpoints.record(key, atStep, companions, rankLoss);
    metrics.flush();
    heartbeats.checkpointed(key, atStep);
  }

  /** Records where this attempt really resumed (it may have skipped a corrupt checkpoint). */
  private void resumed(long atStep, String key) {
    repositories.stages().updateAttemptStart(attemptId, atStep, key);
    LOG.info("{}: resumed at step {} from {}", name, atStep, key);
    heartbeats.resumed(atStep, key);
  }
}
