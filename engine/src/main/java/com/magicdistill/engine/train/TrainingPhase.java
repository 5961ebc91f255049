package com.magicdistill.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flow-matching training phase of the teacher (docs/ALGORITHM.md#teacher): base pretraining on
 * general + portrait clips, or the portrait fine-tune on the filtered set. Both are the same loop
 * on different data; the fine-tune starts from the base model's EMA weights with a fresh optimizer.
 *
 * <p>Learning rate: linear warm-up, then cosine decay to 10% of the peak. At the end the EMA
 * weights are copied into the model, which is what sampling and the next phase use.
 */
public final class TrainingPhase {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingPhase.class);
  private static final ObjectMapper JSON = Json.MAPPER;

  /** What a finished phase reports. */
  public record Result(
      String name,
      String checkpointPrefix,
      Trainer.TrainingSummary summary,
      List<StepStats> steps,
      boolean resumed,
      boolean stopped) {
    /** Median wall milliseconds per training step (robust to the machine's noise). */
    public double medianMsPerStep() {
      return Median.of(steps.stream().mapToDouble(StepStats::msPerStep).toArray());
    }
  }

  private final String name;
  private final TrainConfig config;
  private final int batchSize;
  private final TimestepSampling sampling;

  /**
   * @param name phase name recorded with the checkpoints ({@code base} or {@code teacher})
   * @param shift timestep shift of the logit-normal training sigmas
   */
  public TrainingPhase(String name, TrainConfig config, int batchSize, double shift) {
    this(name, config, batchSize, TimestepSampling.shifted(shift));
  }

  /**
   * @param name phase name recorded with the checkpoints ({@code base} or {@code teacher})
   * @param sampling noise levels and first-frame dropout of the loss
   */
  public TrainingPhase(String name, TrainConfig config, int batchSize, TimestepSampling sampling) {
    this.name = name;
    this.config = config;
    this.batchSize = batchSize;
    this.sampling = sampling;
  }

  /**
   * Trains {@code model} on {@code clips}, checkpointing as {@code run} says; with {@code
   * run.resume()}, continues from the newest checkpoint there (bit-identically). {@link
   * Result#stopped()} tells whether {@code run.control()} ended it early (after a checkpoint).
   */
  public Result run(VideoDiT model, List<Clip> clips, CheckpointedRun<TrainingListener> run)
      throws IOException {
    ObjectStore store = run.store();
    String prefix = run.prefix();
    TrainingListener listener = run.listener();
    var objective = new FlowMatchingObjective(clips, batchSize, sampling);
    List<StepStats> steps = new ArrayList<>();
    try (Trainer trainer = new Trainer(model, null, config, objective, store, prefix)) {
      trainer
          .schedule(
              LearningRateSchedule.cosine(
                  config.lr(), config.warmupSteps(), config.steps(), config.lr() * 0.1f))
          .configJson(configJson(model.config()))
          .addListener(steps::add)
          .control(run.control());
      if (listener != null) {
        trainer.addListener(listener);
      }
      boolean resumed = run.resume() && trainer.resumeFromLatest();
      if (resumed) {
        LOG.info("{}: resumed at step {}", name, trainer.completedSteps());
      }
      LOG.info(
          "{}: training {} steps on {} clips (batch {}, lr {})",
          name,
          config.steps(),
          clips.size(),
          batchSize,
          config.lr());
      Trainer.TrainingSummary summary = trainer.run();
      trainer.ema().copyInto(model);
      LOG.info("{}: done, {}", name, summary.describe());
      return new Result(name, prefix, summary, steps, resumed, trainer.stopped());
    }
  }

  private String configJson(DitConfig model) {
    ObjectNode node = JSON.createObjectNode();
    node.put("phase", name);
    node.put("batchSize", batchSize);
    node.put("trainShift", sampling.trainShift());
    if (!sampling.equals(TimestepSampling.shifted(sampling.trainShift()))) {
      // only when set, so checkpoints of runs without them keep their recorded config
      node.put("trainSigmaMean", sampling.trainSigmaMean());
      node.put("firstFrameDropout", sampling.firstFrameDropout());
    }
    node.set("model", JSON.valueToTree(model));
    node.set("train", JSON.valueToTree(config));
    return node.toString();
  }
}
