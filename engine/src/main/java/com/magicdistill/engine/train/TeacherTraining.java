package com.magicdistill.engine.train;

import ai.djl.ndarray.NDManager;
import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.VideoDiT;
import java.io.IOException;
import java.util.List;

/**
 * Teacher training, the first recipe step: base pretraining of a fresh model on every clip, then
 * the portrait fine-tune on the clips the quality filter kept, each phase a {@link TrainingPhase}
 * checkpointed under {@code <prefix>/base} and {@code <prefix>/teacher}. Given a base model
 * instead, only the fine-tune runs.
 *
 * @param model architecture of a freshly pretrained base
 * @param base base pretraining config (its seed also draws the fresh weights)
 * @param fineTune portrait fine-tune config
 * @param baseBatchSize clips per base pretraining step
 * @param fineTuneBatchSize clips per fine-tune step
 * @param sampling noise levels (shift, logit-normal mean) and first-frame dropout of both phases
 */
public record TeacherTraining(
    DitConfig model,
    TrainConfig base,
    TrainConfig fineTune,
    int baseBatchSize,
    int fineTuneBatchSize,
    TimestepSampling sampling) {
  public TeacherTraining {
    ConfigException.require(sampling != null, "sampling", "be set", null, "e.g. trainShift 1");
    ConfigException.require(
        baseBatchSize > 0, "baseBatchSize", "be > 0", baseBatchSize, "a positive clip count");
    ConfigException.require(
        fineTuneBatchSize > 0,
        "fineTuneBatchSize",
        "be > 0",
        fineTuneBatchSize,
        "a positive clip count");
  }

  /** With only a timestep shift (logit-normal(0, 1), no first-frame dropout). */
  public TeacherTraining(
      DitConfig model,
      TrainConfig base,
      TrainConfig fineTune,
      int baseBatchSize,
      int fineTuneBatchSize,
      double trainShift) {
    this(
        model,
        base,
        fineTune,
        baseBatchSize,
        fineTuneBatchSize,
        TimestepSampling.shifted(trainShift));
  }

  /** The timestep shift of the training sigmas. */
  public double trainShift() {
    return sampling.trainShift();
  }

  public static final String BASE = "base";
  public static final String TEACHER = "teacher";

  /** The preset's teacher training, unchanged. */
  public static TeacherTraining of(EnginePreset preset) {
    return new TeacherTraining(
        preset.model(),
        preset.base(),
        preset.finetune(),
        preset.batchSize(),
        preset.batchSize(),
        preset.trainSampling());
  }

  public TeacherTraining withBatchSize(int batchSize) {
    return new TeacherTraining(model, base, fineTune, batchSize, batchSize, sampling);
  }

  public TeacherTraining withFineTuneBatchSize(int batchSize) {
    return new TeacherTraining(model, base, fineTune, baseBatchSize, batchSize, sampling);
  }

  /** Observes both phases: one listener per phase, and the end of each. */
  public interface Listener {
    /**
     * Called before {@code phase} ({@link #BASE} or {@link #TEACHER}) starts; {@code stepOffset} is
     * the number of steps of the phases before it. Returns the phase's step listener (or null).
     */
    TrainingListener phaseStarted(String phase, TrainConfig config, long stepOffset);

    /** Called when {@code phase} ended, normally or not ({@code result} null on an exception). */
    default void phaseEnded(String phase, TrainingPhase.Result result) {}
  }

  /**
   * What a teacher training reports: the base phase (null when a base model was given), the teacher
   * phase (null when the base phase stopped early) and the trained model.
   */
  public record Result(TrainingPhase.Result base, TrainingPhase.Result teacher, VideoDiT model) {
    /** Whether a phase ended early on the run's stop request. */
    public boolean stopped() {
      return teacher == null || teacher.stopped();
    }

    /** The step statistics of every phase that ran, in order. */
    public List<StepStats> allSteps() {
      List<StepStats> all = new java.util.ArrayList<>();
      if (base != null) {
        all.addAll(base.steps());
      }
      if (teacher != null) {
        all.addAll(teacher.steps());
      }
      return all;
    }
  }

  /** Steps of both phases, or of the fine-tune alone when starting from a given base. */
  public long totalSteps(boolean pretrain) {
    return (pretrain ? base.steps() : 0) + fineTune.steps();
  }

  /**
   * Pretrains a fresh base on {@code all} ({@link VideoDiT#freshBase}, owned by {@code manager}),
   * then fine-tunes it on {@code kept}.
   */
  public Result run(
      List<Clip> all, List<Clip> kept, NDManager manager, CheckpointedRun<Listener> run)
      throws IOException {
    VideoDiT model = VideoDiT.freshBase(this.model, base.seed(), manager);
    TrainingPhase.Result b = phase(BASE, base, baseBatchSize, model, all, run, 0);
    if (b.stopped()) {
      return new Result(b, null, model);
    }
    return new Result(
        b, phase(TEACHER, fineTune, fineTuneBatchSize, model, kept, run, base.steps()), model);
  }

  /** Fine-tunes the given base model on {@code kept} (no base pretraining). */
  public Result fineTune(VideoDiT baseModel, List<Clip> kept, CheckpointedRun<Listener> run)
      throws IOException {
    return new Result(
        null, phase(TEACHER, fineTune, fineTuneBatchSize, baseModel, kept, run, 0), baseModel);
  }

  private TrainingPhase.Result phase(
      String name,
      TrainConfig config,
      int batchSize,
      VideoDiT model,
      List<Clip> clips,
      CheckpointedRun<Listener> run,
      long stepOffset)
      throws IOException {
    Listener listener = run.listener();
    TrainingListener steps =
        listener == null ? null : listener.phaseStarted(name, config, stepOffset);
    TrainingPhase.Result result = null;
    try {
      result =
          new TrainingPhase(name, config, batchSize, sampling)
              .run(model, clips, run.child(name, steps));
      return result;
    } finally {
      if (listener != null) {
        listener.phaseEnded(name, result);
      }
    }
  }
}
