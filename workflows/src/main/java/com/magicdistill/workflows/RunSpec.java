package com.magicdistill.workflows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a pipeline run needs, resolved: where the data comes from, the base model, every
 * hyperparameter of every stage, checkpointing and which task queue each stage runs on. It is the
 * workflow's input, stored with the run, and hashed (per stage) into the stage cache key. Build one
 * from a preset with {@code RunSpecs.forPreset} (activities) and override fields as needed; {@link
 * #validate()} names every invalid field before anything starts.
 *
 * @param runId unique id ({@code [a-z0-9-]}, 3-63 characters); also the workflow id and the object
 *     prefix {@code runs/<runId>/}
 * @param name a human label
 * @param preset engine preset whose model size and synthetic data the run uses (smoke, paper)
 * @param baseModel {@code pretrain} (the fine-tune stage first pretrains a base on all clips: the
 *     miniature stand-in for downloading Magic141) or the object prefix of a base checkpoint
 * @param taskQueues stage slug to task queue; stages not listed run on {@link #defaultQueue}
 * @param defaultQueue task queue of stage activities ({@code gpu})
 * @param heartbeatSeconds heartbeat timeout of stage activities: a worker silent this long is
 *     declared lost and the stage is retried elsewhere
 * @param reuse rerun from a stage reusing another run's outputs before it, or null
 * @param useCache take a stage's outputs from the stage cache when an earlier run computed them
 *     with the same code, config and inputs (null = true); false forces every stage to run
 * @param retries the error and preemption budgets of each stage (null = {@link RetrySpec#DEFAULT})
 */
public record RunSpec(
    String runId,
    String name,
    String preset,
    DataSpec data,
    String baseModel,
    FineTuneSpec fineTune,
    DistillSpec distill,
    ExportSpec export,
    EvaluateSpec evaluate,
    CheckpointSpec checkpoints,
    Map<String, String> taskQueues,
    String defaultQueue,
    int heartbeatSeconds,
    ReuseSpec reuse,
    Boolean useCache,
    RetrySpec retries) {

  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
  private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  public RunSpec {
    taskQueues = taskQueues == null ? Map.of() : Map.copyOf(taskQueues);
  }

  /** Where the training clips come from. */
  public record DataSpec(String source, String datasetPrefix) {
    public static final String SYNTHETIC = "synthetic";
    public static final String DATASET = "dataset";
  }

  /** Base pretraining (when {@code baseModel} is {@code pretrain}) and the portrait fine-tune. */
  public record FineTuneSpec(int baseSteps, int steps, float lr, int batchSize) {}

  /** DMD-LoRA and W2S (docs/ALGORITHM.md#dmd-lora, #w2s). */
  public record DistillSpec(
      int dmdIterations,
      int w2sIterations,
      int criticUpdates,
      int batchSize,
      float generatorLr,
      float criticLr,
      int loraRank,
      float alphaWeak,
      float alphaStrong,
      boolean regression,
      boolean gan) {}

  /** The exported package's name ({@code runs/<runId>/export/<name>/}). */
  public record ExportSpec(String name) {}

  /**
   * The evaluate stage (docs/EVALUATION.md#a-runs-report): {@code heldOutClips} held-out clips
   * every method generates and is scored on; the first {@code sampleClips} of them are written as
   * sample clips per method (0 = none); {@code bootstrapResamples} draws behind each 95% interval
   * (the scoring's main cost: fewer for a quick check). A field missing from a stored spec takes
   * its default.
   */
  public record EvaluateSpec(int heldOutClips, Integer sampleClips, Integer bootstrapResamples) {
    public static final int DEFAULT_SAMPLE_CLIPS = 4;

    /**
     * The engine's default
     * (docs/EVALUATION.md#bootstrap-intervals-bootstrap-interval-frechetintervals).
     */
    public static final int DEFAULT_BOOTSTRAP_RESAMPLES = 1000;

    public EvaluateSpec {
      sampleClips = sampleClips == null ? DEFAULT_SAMPLE_CLIPS : sampleClips;
      bootstrapResamples =
          bootstrapResamples == null ? DEFAULT_BOOTSTRAP_RESAMPLES : bootstrapResamples;
    }

    /** With the default sample clips and bootstrap draws. */
    public EvaluateSpec(int heldOutClips) {
      this(heldOutClips, null, null);
    }
  }

  /**
   * Checkpoint every {@code everySteps} steps or {@code everySeconds} of wall time, whichever comes
   * first; keep the newest {@code keepLast} and the best {@code keepBest} by loss.
   */
  public record CheckpointSpec(int everySteps, double everySeconds, int keepLast, int keepBest) {}

  /**
   * Error and preemption budgets, kept apart: a stage that fails with a code or data error gets at
   * most {@code errorAttempts} attempts, then the run fails with the error; a lost worker or a
   * drain never counts against that. After {@code preemptionsBeforeFallback} preemptions of one
   * stage (0 = never) its next attempts go to {@code fallbackQueue} (e.g. on-demand nodes).
   */
  public record RetrySpec(int errorAttempts, int preemptionsBeforeFallback, String fallbackQueue) {
    public static final RetrySpec DEFAULT = new RetrySpec(3, 0, null);

    /** Whether preempted stages move to {@link #fallbackQueue}. */
    public boolean fallbackEnabled() {
      return preemptionsBeforeFallback > 0;
    }
  }

  /** The retry budgets, {@link RetrySpec#DEFAULT} when the spec gives none. */
  public RetrySpec retryBudget() {
    return retries == null ? RetrySpec.DEFAULT : retries;
  }

  /** Reuse run {@code runId}'s outputs of every stage before {@code fromStage} (a slug). */
  public record ReuseSpec(String runId, String fromStage) {}

  /** The task queue stage {@code stage}'s activity is scheduled on. */
  public String queueOf(PipelineStage stage) {
    return taskQueues.getOrDefault(stage.slug(), defaultQueue);
  }

  /** A copy with another run id and name (the console's "run again"). */
  public RunSpec withRunId(String newRunId, String newName) {
    return copy(newRunId, newName, reuse, useCache);
  }

  /** A copy that reruns from {@code fromStage}, reusing {@code otherRunId}'s earlier outputs. */
  public RunSpec withReuse(String otherRunId, PipelineStage fromStage) {
    return copy(runId, name, new ReuseSpec(otherRunId, fromStage.slug()), useCache);
  }

  /** A copy with other retry budgets. */
  public RunSpec withRetries(RetrySpec newRetries) {
    return new RunSpec(
        runId,
        name,
        preset,
        data,
        baseModel,
        fineTune,
        distill,
        export,
        evaluate,
        checkpoints,
        taskQueues,
        defaultQueue,
        heartbeatSeconds,
        reuse,
        useCache,
        newRetries);
  }

  /** A copy with the stage cache on or off. */
  public RunSpec withCache(boolean on) {
    return copy(runId, name, reuse, on);
  }

  private RunSpec copy(String newRunId, String newName, ReuseSpec newReuse, Boolean newUseCache) {
    return new RunSpec(
        newRunId,
        newName,
        preset,
        data,
        baseModel,
        fineTune,
        distill,
        export,
        evaluate,
        checkpoints,
        taskQueues,
        defaultQueue,
        heartbeatSeconds,
        newReuse,
        newUseCache,
        retries);
  }

  /** Whether stages may come from the stage cache. */
  public boolean cacheEnabled() {
    return useCache == null || useCache;
  }

  /**
   * Every problem with this spec, one message per field, each naming the field, the value and the
   * fix; empty when the spec is valid.
   */
  public List<String> problems() {
    return problemsDetailed().stream().map(Problem::message).toList();
  }

  /**
   * One invalid field: its dotted path, the value it had ({@code null} when missing) and how to fix
   * it. The API, the console and the CLI all report these, so a field is named the same way
   * everywhere.
   */
  public record Problem(String field, Object value, String fix, boolean missing) {
    /** The text form: {@code "<field> is invalid (got <value>): <fix>"}. */
    public String message() {
      if (missing) {
        return field + " is missing" + (fix == null || fix.isEmpty() ? "" : ": " + fix);
      }
      return field + " is invalid (got " + value + "): " + fix;
    }
  }

  /** {@link #problems()} with the field, value and fix of each apart. */
  public List<Problem> problemsDetailed() {
    List<Problem> p = new ArrayList<>();
    check(
        p,
        runId != null && RUN_ID.matcher(runId).matches(),
        "runId",
        runId,
        "use 3-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
    check(p, preset != null && !preset.isBlank(), "preset", preset, "use smoke or paper");
    if (data == null) {
      p.add(new Problem("data", null, "give data.source (synthetic or dataset)", true));
    } else {
      boolean synthetic = DataSpec.SYNTHETIC.equals(data.source());
      boolean dataset = DataSpec.DATASET.equals(data.source());
      check(p, synthetic || dataset, "data.source", data.source(), "use synthetic or dataset");
      check(
          p,
          !dataset || notBlank(data.datasetPrefix()),
          "data.datasetPrefix",
          data.datasetPrefix(),
          "give the object prefix of the dataset's shards and manifest.json");
    }
    check(
        p,
        notBlank(baseModel),
        "baseModel",
        baseModel,
        "use pretrain or the object prefix of a base checkpoint");
    if (fineTune == null) {
      p.add(new Problem("fineTune", null, "", true));
    } else {
      check(
          p,
          fineTune.baseSteps() >= 0,
          "fineTune.baseSteps",
          fineTune.baseSteps(),
          "use 0 or more");
      check(p, fineTune.steps() > 0, "fineTune.steps", fineTune.steps(), "use a positive count");
      check(
          p, fineTune.lr() > 0 && fineTune.lr() < 1, "fineTune.lr", fineTune.lr(), "use e.g. 3e-4");
      check(p, fineTune.batchSize() > 0, "fineTune.batchSize", fineTune.batchSize(), "use e.g. 8");
      check(
          p,
          !"pretrain".equals(baseModel) || fineTune.baseSteps() > 0,
          "fineTune.baseSteps",
          fineTune.baseSteps(),
          "baseModel pretrain needs base steps: use e.g. 200");
    }
    if (distill == null) {
      p.add(new Problem("distill", null, "", true));
    } else {
      DistillSpec d = distill;
      check(
          p,
          d.dmdIterations() > 0,
          "distill.dmdIterations",
          d.dmdIterations(),
          "use a positive count");
      check(
          p,
          d.w2sIterations() > 0,
          "distill.w2sIterations",
          d.w2sIterations(),
          "use a positive count");
      check(
          p,
          d.criticUpdates() > 0,
          "distill.criticUpdates",
          d.criticUpdates(),
          "use 5 (the two time-scale rule)");
      check(p, d.batchSize() > 0, "distill.batchSize", d.batchSize(), "use e.g. 2");
      check(
          p,
          d.generatorLr() > 0 && d.generatorLr() < 1,
          "distill.generatorLr",
          d.generatorLr(),
          "use e.g. 2e-5");
      check(
          p,
          d.criticLr() > 0 && d.criticLr() < 1,
          "distill.criticLr",
          d.criticLr(),
          "use e.g. 1e-4");
      check(
          p,
          d.loraRank() > 0,
          "distill.loraRank",
          d.loraRank(),
          "the fake score model needs a LoRA: use 8");
      check(p, d.alphaStrong() > 0, "distill.alphaStrong", d.alphaStrong(), "use 1");
      check(
          p,
          d.alphaWeak() >= 0 && d.alphaWeak() <= d.alphaStrong(),
          "distill.alphaWeak",
          d.alphaWeak(),
          "use a value in [0, alphaStrong]; 0.25 is the paper's best");
    }
    check(
        p,
        export != null && notBlank(export.name()) && QUEUE.matcher(export.name()).matches(),
        "export.name",
        export == null ? null : export.name(),
        "use letters, digits, '.', '_' or '-'");
    check(
        p,
        evaluate != null && evaluate.heldOutClips() >= 2,
        "evaluate.heldOutClips",
        evaluate == null ? null : evaluate.heldOutClips(),
        "use 2 or more (a Frechet distance needs a spread)");
    if (evaluate != null) {
      check(
          p,
          evaluate.sampleClips() >= 0 && evaluate.sampleClips() <= evaluate.heldOutClips(),
          "evaluate.sampleClips",
          evaluate.sampleClips(),
          "use 0 to evaluate.heldOutClips; " + EvaluateSpec.DEFAULT_SAMPLE_CLIPS + " by default");
      check(
          p,
          evaluate.bootstrapResamples() >= 2,
          "evaluate.bootstrapResamples",
          evaluate.bootstrapResamples(),
          "use "
              + EvaluateSpec.DEFAULT_BOOTSTRAP_RESAMPLES
              + " (100 for a quick check of the chain)");
    }
    if (checkpoints == null) {
      p.add(new Problem("checkpoints", null, "", true));
    } else {
      check(
          p,
          checkpoints.everySteps() > 0,
          "checkpoints.everySteps",
          checkpoints.everySteps(),
          "use a positive count (at most that many steps are lost on preemption)");
      check(
          p,
          checkpoints.everySeconds() >= 0,
          "checkpoints.everySeconds",
          checkpoints.everySeconds(),
          "use 0 (off) or a positive number of seconds");
      check(
          p,
          checkpoints.keepLast() >= 1,
          "checkpoints.keepLast",
          checkpoints.keepLast(),
          "use 1 or more (the newest is needed to resume)");
      check(
          p,
          checkpoints.keepBest() >= 0,
          "checkpoints.keepBest",
          checkpoints.keepBest(),
          "use 0 or more");
    }
    check(
        p,
        notBlank(defaultQueue) && QUEUE.matcher(defaultQueue).matches(),
        "defaultQueue",
        defaultQueue,
        "use a task queue name such as gpu");
    for (Map.Entry<String, String> e : taskQueues.entrySet()) {
      check(
          p,
          PipelineStage.bySlug(e.getKey()).isPresent(),
          "taskQueues." + e.getKey(),
          e.getKey(),
          "use a stage slug: " + PipelineStage.slugs());
      check(
          p,
          QUEUE.matcher(e.getValue()).matches(),
          "taskQueues." + e.getKey(),
          e.getValue(),
          "use a task queue name such as gpu");
    }
    check(
        p,
        heartbeatSeconds >= 1 && heartbeatSeconds <= 3600,
        "heartbeatSeconds",
        heartbeatSeconds,
        "use 1-3600 seconds (30 in production)");
    if (retries != null) {
      check(
          p,
          retries.errorAttempts() >= 1 && retries.errorAttempts() <= 100,
          "retries.errorAttempts",
          retries.errorAttempts(),
          "use 1-100 attempts per stage (3 by default)");
      check(
          p,
          retries.preemptionsBeforeFallback() >= 0,
          "retries.preemptionsBeforeFallback",
          retries.preemptionsBeforeFallback(),
          "use 0 (never) or the number of preemptions after which a stage moves to"
              + " retries.fallbackQueue");
      check(
          p,
          !retries.fallbackEnabled()
              || (notBlank(retries.fallbackQueue())
                  && QUEUE.matcher(retries.fallbackQueue()).matches()),
          "retries.fallbackQueue",
          retries.fallbackQueue(),
          "give the task queue of the fallback (e.g. on-demand) workers");
      check(
          p,
          retries.fallbackQueue() == null || retries.fallbackEnabled(),
          "retries.preemptionsBeforeFallback",
          retries.preemptionsBeforeFallback(),
          "a fallback queue needs a positive number of preemptions before it is used, e.g. 2");
    }
    if (reuse != null) {
      check(
          p,
          reuse.runId() != null && RUN_ID.matcher(reuse.runId()).matches(),
          "reuse.runId",
          reuse.runId(),
          "give the id of the earlier run whose outputs to reuse");
      check(
          p,
          PipelineStage.bySlug(reuse.fromStage()).isPresent(),
          "reuse.fromStage",
          reuse.fromStage(),
          "use a stage slug: " + PipelineStage.slugs());
      check(
          p,
          reuse.runId() == null || !reuse.runId().equals(runId),
          "reuse.runId",
          reuse.runId(),
          "a run cannot reuse itself: give a new runId");
    }
    return p;
  }

  /**
   * Checks the spec and throws if anything is wrong.
   *
   * @throws InvalidRunSpecException listing every invalid field
   */
  public RunSpec validate() {
    List<String> p = problems();
    if (!p.isEmpty()) {
      throw new InvalidRunSpecException(p);
    }
    return this;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static void check(
      List<Problem> problems, boolean ok, String field, Object value, String fix) {
    if (!ok) {
      problems.add(new Problem(field, value, fix, false));
    }
  }
}
