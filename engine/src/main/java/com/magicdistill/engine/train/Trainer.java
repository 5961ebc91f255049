package com.magicdistill.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.magicdistill.engine.random.StepRandom;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A generic training loop over any DJL {@link Block}: per step, in a fresh child manager of a
 * long-lived one, the {@link TrainingObjective}'s loss is computed inside a gradient collector and
 * back-propagated; then, with autograd off: global-norm clipping, an {@link AdamW} update with the
 * {@link LearningRateSchedule}'s rate, an {@link Ema} update, zeroing of gradients, listeners,
 * resident-memory sampling and periodic checkpoints to an {@link ObjectStore}.
 *
 * <p>The model must be initialized (and, for LoRA, frozen: only parameters that require gradients
 * when the trainer is created are trained). All randomness of step {@code s} comes from {@code
 * StepRandom.forStep(config.seed(), s, stream)}, so {@link #resumeFrom(TrainingCheckpoint)}
 * continues bit-identically. Not thread-safe; {@link #close()} frees optimizer and EMA state.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final Block model;
  private final TrainConfig config;
  private final TrainingObjective objective;
  private final ObjectStore store;
  private final String checkpointPrefix;
  private final NDManager root;
  private final ParameterStore parameterStore;
  private final AdamW adam;
  private final Ema ema;
  private final Map<String, Parameter> trainable;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final List<RssSample> rss = new ArrayList<>();
  private LearningRateSchedule schedule;
  private String configJson;
  private int rssEvery = 10;
  private long completedSteps;
  private double totalMs;
  private long timedSteps;
  private float lastLoss = Float.NaN;
  private StageControl control = StageControl.NONE;
  private long lastCheckpointNanos = System.nanoTime();
  private long lastCheckpointStep = -1;
  private boolean stopped;

  /**
   * @param model an initialized block; parameters that require gradients now are trained
   * @param parameterStore store handed to the objective, or null for {@code new
   *     ParameterStore(manager, false)}
   * @param store where checkpoints go, or null for no checkpoints
   * @param checkpointPrefix key prefix of this run's checkpoints ({@code
   *     <prefix>/step-00000100/...} and {@code <prefix>/latest})
   */
  public Trainer(
      Block model,
      ParameterStore parameterStore,
      TrainConfig config,
      TrainingObjective objective,
      ObjectStore store,
      String checkpointPrefix) {
    this.model = model;
    this.config = config;
    this.objective = objective;
    this.store = store;
    this.checkpointPrefix = checkpointPrefix == null ? "" : checkpointPrefix;
    if (store != null && !this.checkpointPrefix.isEmpty()) {
      ObjectStore.validatePrefix(this.checkpointPrefix);
    }
    Map<String, Parameter> all = ParameterArrays.parameters(model);
    if (all.isEmpty() || !all.values().iterator().next().isInitialized()) {
      throw new IllegalArgumentException(
          "the model has no initialized parameters: call block.initialize(manager, FLOAT32, shapes)"
              + " before creating the Trainer");
    }
    int fixed = ParameterArrays.ensureGradients(model);
    if (fixed > 0) {
      LOG.info("re-attached gradients to {} trainable parameters (loaded weights)", fixed);
    }
    NDArray first = all.values().iterator().next().getArray();
    this.root = NDManager.newBaseManager(first.getDevice());
    this.parameterStore = parameterStore != null ? parameterStore : new ParameterStore(root, false);
    this.trainable = ParameterArrays.trainable(model);
    this.adam = AdamW.of(model, config, root);
    this.ema = new Ema(model, config.emaDecay(), root);
    this.schedule = config.constantSchedule();
    this.configJson = config.toJson();
  }

  /** Replaces the default warm-up-then-constant schedule. */
  public Trainer schedule(LearningRateSchedule newSchedule) {
    this.schedule = newSchedule;
    return this;
  }

  /** Config JSON stored in checkpoints (default {@link TrainConfig#toJson()}). */
  public Trainer configJson(String json) {
    this.configJson = json;
    return this;
  }

  /** Samples resident memory every {@code k} steps (0 disables); default 10. */
  public Trainer rssEvery(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("rssEvery must be >= 0 (got " + k + ")");
    }
    this.rssEvery = k;
    return this;
  }

  /** Time-based checkpoints and early stops (see {@link StageControl}); default none. */
  public Trainer control(StageControl newControl) {
    this.control = newControl;
    return this;
  }

  public Trainer addListener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Restores weights, EMA, AdamW state and the step counter from {@code checkpoint}. Its seed must
   * match the config's (step randomness depends on it).
   */
  public void resumeFrom(TrainingCheckpoint checkpoint) {
    if (checkpoint.seed() != config.seed()) {
      throw new IllegalArgumentException(
          "checkpoint was trained with seed "
              + checkpoint.seed()
              + " but the config has seed "
              + config.seed()
              + ": resume it with seed "
              + checkpoint.seed());
    }
    checkpoint.restoreInto(model, adam, ema);
    this.completedSteps = checkpoint.step();
    this.lastCheckpointStep = checkpoint.step();
    this.lastCheckpointNanos = System.nanoTime();
  }

  /** Loads the checkpoint under {@code prefix} from the store and resumes from it. */
  public void resumeFrom(String prefix) throws IOException {
    requireStore();
    try (TrainingCheckpoint cp = CheckpointIO.load(store, prefix, root)) {
      resumeFrom(cp);
    }
  }

  /**
   * Resumes from this run's newest valid checkpoint if there is one; returns whether it did (false:
   * there is no checkpoint yet). The {@code latest} pointer's checkpoint is tried first; a corrupt
   * one (sha256 mismatch, missing tensor or manifest, dangling pointer) is skipped with a warning
   * for the one before it.
   *
   * @throws NoUsableCheckpointException if there are checkpoints but none of them loads
   */
  public boolean resumeFromLatest() throws IOException {
    requireStore();
    Optional<CheckpointIO.Found> found = CheckpointIO.loadNewest(store, checkpointPrefix, root);
    if (found.isEmpty()) {
      return false;
    }
    try (TrainingCheckpoint cp = found.get().checkpoint()) {
      resumeFrom(cp);
    }
    for (TrainingListener l : listeners) {
      l.onResume(completedSteps, found.get().prefix());
    }
    return true;
  }

  /**
   * Runs steps until {@code config.steps()} have completed, or until the {@link StageControl} asks
   * to stop (then the step reached is checkpointed first); returns a summary.
   */
  public TrainingSummary run() {
    while (completedSteps < config.steps()) {
      step();
      if (completedSteps < config.steps() && control.stopRequested().getAsBoolean()) {
        if (store != null && lastCheckpointStep != completedSteps) {
          if (control.checkpointFitsOnStop()) {
            saveCheckpoint();
          } else {
            LOG.info(
                "no checkpoint of step {}: it would not be written in time; the last is step {}",
                completedSteps,
                lastCheckpointStep);
          }
        }
        stopped = true;
        LOG.info("stopped on request after step {} of {}", completedSteps, config.steps());
        break;
      }
    }
    return summary();
  }

  /** Arrays alive in this trainer's own manager (optimiser, EMA, open step); for leak tests. */
  int liveArrays() {
    return root.getManagedArrays().size();
  }

  /** Whether the last {@link #run()} ended early on a stop request. */
  public boolean stopped() {
    return stopped;
  }

  /** Runs exactly one step (index {@link #completedSteps()}) and returns its stats. */
  public StepStats step() {
    long stepIndex = completedSteps;
    long t0 = System.nanoTime();
    float lossValue;
    float gradNorm;
    float lr = schedule.at(stepIndex);
    try (NDManager stepManager = root.newSubManager()) {
      StepRandom rng = StepRandom.forStep(config.seed(), stepIndex, 0);
      // Another trainer's backward pass may have touched these parameters (DMD's GAN term runs
      // through the critic's LoRA): start from zero.
      zeroGradients();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = objective.loss(stepManager, parameterStore, model, stepIndex, rng);
        if (loss.getShape().size() != 1) {
          throw new IllegalStateException(
              "objective returned a loss of shape " + loss.getShape() + ", expected a scalar");
        }
        collector.backward(loss);
        lossValue = loss.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
      }
      if (!Float.isFinite(lossValue)) {
        zeroGradients();
        throw new IllegalStateException(
            "loss is "
                + lossValue
                + " at step "
                + stepIndex
                + " (lr "
                + lr
                + "): lower the learning rate (lr), set a gradient clip (gradClip), or resume from an"
                + " earlier checkpoint");
      }
      gradNorm = GradientClipping.clipGlobalNorm(trainable.values(), config.gradClip());
      if (!Float.isFinite(gradNorm)) {
        zeroGradients();
        throw new IllegalStateException(
            "gradient norm is "
                + gradNorm
                + " at step "
                + stepIndex
                + ": lower the learning rate (lr) or check the objective for NaNs");
      }
      adam.step(lr, stepManager);
      ema.update(stepManager);
      zeroGradients();
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    completedSteps = stepIndex + 1;
    lastLoss = lossValue;
    totalMs += ms;
    timedSteps++;
    StepStats stats = new StepStats(stepIndex, lossValue, gradNorm, lr, ms);
    if (rssEvery > 0 && completedSteps % rssEvery == 0) {
      rss.add(new RssSample(completedSteps, ResidentMemory.currentMb()));
    }
    for (TrainingListener l : listeners) {
      l.onStep(stats);
    }
    boolean periodic =
        (config.checkpointEvery() > 0 && completedSteps % config.checkpointEvery() == 0)
            || control.checkpointDue(lastCheckpointNanos);
    boolean last = completedSteps == config.steps();
    if (store != null && (periodic || last)) {
      saveCheckpoint();
    }
    return stats;
  }

  /** Writes a checkpoint of the current state; returns its prefix. */
  public String saveCheckpoint() {
    requireStore();
    String prefix = ObjectStore.join(checkpointPrefix, String.format("step-%08d", completedSteps));
    long t0 = System.nanoTime();
    // no copy of the state: training waits until the save has returned
    try (TrainingCheckpoint cp =
        TrainingCheckpoint.viewOf(
            model, adam, ema, completedSteps, config.seed(), configJson, root)) {
      CheckpointIO.saveAndMarkLatest(store, checkpointPrefix, prefix, cp);
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint " + prefix + " to " + store, e);
    }
    control.savedSince(t0);
    lastCheckpointStep = completedSteps;
    lastCheckpointNanos = System.nanoTime();
    LOG.info("checkpoint {} written ({} steps)", prefix, completedSteps);
    for (TrainingListener l : listeners) {
      l.onCheckpoint(completedSteps, prefix);
    }
    return prefix;
  }

  /** A copy of the current training state (caller closes it). */
  public TrainingCheckpoint snapshot() {
    return TrainingCheckpoint.capture(
        model, adam, ema, completedSteps, config.seed(), configJson, root);
  }

  private void zeroGradients() {
    for (Parameter p : trainable.values()) {
      ParameterArrays.zeroGradient(p);
    }
  }

  private void requireStore() {
    if (store == null) {
      throw new IllegalStateException("this Trainer has no ObjectStore for checkpoints");
    }
  }

  public TrainingSummary summary() {
    return new TrainingSummary(
        completedSteps, lastLoss, timedSteps == 0 ? 0 : totalMs / timedSteps, rssSeries());
  }

  public long completedSteps() {
    return completedSteps;
  }

  public AdamW optimizer() {
    return adam;
  }

  public Ema ema() {
    return ema;
  }

  public TrainConfig config() {
    return config;
  }

  public ParameterStore parameterStore() {
    return parameterStore;
  }

  /** The resident-memory samples so far. */
  public List<RssSample> rssSeries() {
    return Collections.unmodifiableList(new ArrayList<>(rss));
  }

  @Override
  public void close() {
    root.close();
  }

  /** Outcome of {@link #run()}. */
  public record TrainingSummary(
      long completedSteps, float lastLoss, double meanMsPerStep, List<RssSample> rss) {

    /**
     * One line for the log: the last loss and mean step time, or, when a resumed run found every
     * step already done (no step ran in this process), that nothing was left to train.
     */
    public String describe() {
      if (ranNoStep()) {
        return "nothing left to train, all " + completedSteps + " steps were done before";
      }
      return "last loss " + lastLoss + " (" + Math.round(meanMsPerStep) + " ms/step mean)";
    }

    /** True when no step ran in this process (a resumed run whose steps were all done before). */
    public boolean ranNoStep() {
      return Float.isNaN(lastLoss) && meanMsPerStep == 0;
    }
  }
}
