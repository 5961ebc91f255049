package com.magicdistill.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.activities.RunSpecOverrides;
import com.magicdistill.activities.RunSpecs;
import com.magicdistill.engine.io.Json;
import com.magicdistill.workflows.PipelineClient;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunResult;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import io.temporal.client.WorkflowFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code magic run}: launch a pipeline run and follow it with a progress bar. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Launch the pipeline (fine-tune -> DMD-LoRA -> W2S -> export -> evaluate) on the platform"
            + " (./magic up, or MAGIC_* endpoints; with neither, an embedded stack in this process)"
            + " and follow it.")
final class RunCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = Json.MAPPER;

  @Option(names = "--preset", defaultValue = "smoke", description = "smoke or paper")
  String preset;

  @Option(names = "--spec", description = "a full RunSpec as JSON (overrides --preset)")
  Path specFile;

  @Option(names = "--run-id", description = "run id (default: generated)")
  String runId;

  @Option(names = "--name", description = "a label for the console")
  String name;

  @Option(names = "--dmd-iterations", description = "override distill.dmdIterations")
  Integer dmdIterations;

  @Option(names = "--w2s-iterations", description = "override distill.w2sIterations")
  Integer w2sIterations;

  @Option(names = "--alpha-weak", description = "override distill.alphaWeak")
  Float alphaWeak;

  @Option(names = "--checkpoint-every", description = "override checkpoints.everySteps")
  Integer checkpointEvery;

  @Option(
      names = "--queue",
      description = "stage=queue, e.g. --queue evaluate=cpu (default: every stage on gpu)")
  Map<String, String> queues;

  @Option(
      names = "--error-attempts",
      description = "retries.errorAttempts: attempts of a stage failing with an error (default 3)")
  Integer errorAttempts;

  @Option(
      names = "--fallback-queue",
      description =
          "retries.fallbackQueue: where a stage runs after --preemptions-before-fallback"
              + " preemptions (e.g. on-demand nodes)")
  String fallbackQueue;

  @Option(
      names = "--preemptions-before-fallback",
      description = "retries.preemptionsBeforeFallback (default 0: never fall back)")
  Integer preemptionsBeforeFallback;

  @Option(
      names = "--reuse",
      description = "RUN_ID:STAGE: rerun from STAGE reusing that run's outputs of earlier stages")
  String reuse;

  @Option(names = "--no-cache", description = "run every stage even if the stage cache has it")
  boolean noCache;

  @Option(names = "--detach", description = "print the run id and return at once")
  boolean detach;

  @Option(names = "--slots", defaultValue = "1", description = "slots of an in-process worker")
  int slots;

  @Override
  public Integer call() throws Exception {
    RunSpec spec = spec();
    try {
      spec.validate();
    } catch (IllegalArgumentException e) {
      throw namingTheFlag(e);
    }
    try (PlatformSession session = PlatformSession.open(!detach, slots)) {
      String id = session.connections().launcher().launch(spec);
      System.out.println("run " + id + " started (" + spec.preset() + ")");
      if (detach) {
        return 0;
      }
      PipelineClient pipeline = session.connections().pipeline();
      try {
        RunResult result = new RunFollower(pipeline, id).follow();
        System.out.println("run " + id + ": " + result.status());
        result
            .outputs()
            .forEach((stage, out) -> System.out.println("  " + stage + " " + out.artifacts()));
        var evaluate = result.outputs().get("evaluate");
        if (evaluate != null) {
          evaluate
              .metrics()
              .forEach((k, v) -> System.out.printf(Locale.ROOT, "  %s = %.4f%n", k, v));
        }
        return result.status() == RunStatus.SUCCEEDED ? 0 : 1;
      } catch (WorkflowFailedException e) {
        Throwable c = e;
        while (c.getCause() != null) {
          c = c.getCause();
        }
        System.err.println("run " + id + " FAILED: " + c.getMessage());
        return 1;
      }
    }
  }

  private RunSpec spec() throws java.io.IOException {
    String id = runId != null ? runId : newRunId();
    RunSpec base =
        specFile != null ? readSpec().withRunId(id, name) : RunSpecs.forPreset(preset, id);
    if (name != null) {
      base = base.withRunId(id, name);
    }
    Map<String, Object> overrides = new LinkedHashMap<>();
    putIfSet(overrides, "distill.dmdIterations", dmdIterations);
    putIfSet(overrides, "distill.w2sIterations", w2sIterations);
    putIfSet(overrides, "distill.alphaWeak", alphaWeak);
    putIfSet(overrides, "checkpoints.everySteps", checkpointEvery);
    if (queues != null) {
      queues.forEach((stage, queue) -> overrides.put("taskQueues." + stage, queue));
    }
    RunSpec spec;
    try {
      spec = RunSpecOverrides.apply(base, overrides);
    } catch (IllegalArgumentException e) {
      throw namingTheFlag(e);
    }
    if (reuse != null) {
      String[] parts = reuse.split(":", 2);
      if (parts.length != 2 || PipelineStage.bySlug(parts[1]).isEmpty()) {
        throw new IllegalArgumentException(
            "--reuse is invalid (got "
                + reuse
                + "): use RUN_ID:STAGE, STAGE one of "
                + PipelineStage.slugs());
      }
      spec = spec.withReuse(parts[0], PipelineStage.bySlug(parts[1]).orElseThrow());
    }
    if (errorAttempts != null || fallbackQueue != null || preemptionsBeforeFallback != null) {
      RunSpec.RetrySpec r = spec.retryBudget();
      spec =
          spec.withRetries(
              new RunSpec.RetrySpec(
                  errorAttempts != null ? errorAttempts : r.errorAttempts(),
                  preemptionsBeforeFallback != null
                      ? preemptionsBeforeFallback
                      : r.preemptionsBeforeFallback(),
                  fallbackQueue != null ? fallbackQueue : r.fallbackQueue()));
    }
    return noCache ? spec.withCache(false) : spec;
  }

  private RunSpec readSpec() {
    try {
      return JSON.readValue(specFile.toFile(), RunSpec.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          "--spec " + specFile + " is not a valid run spec: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--spec " + specFile + " cannot be read: " + e);
    }
  }

  /** The spec field each override option sets, so a validation error can name the option. */
  private static final Map<String, String> FLAG_OF_FIELD =
      Map.of(
          "distill.dmdIterations", "--dmd-iterations",
          "distill.w2sIterations", "--w2s-iterations",
          "distill.alphaWeak", "--alpha-weak",
          "checkpoints.everySteps", "--checkpoint-every",
          "taskQueues.", "--queue",
          "retries.errorAttempts", "--error-attempts",
          "retries.fallbackQueue", "--fallback-queue",
          "retries.preemptionsBeforeFallback", "--preemptions-before-fallback");

  private IllegalArgumentException namingTheFlag(IllegalArgumentException e) {
    String msg = String.valueOf(e.getMessage());
    for (Map.Entry<String, String> f : FLAG_OF_FIELD.entrySet()) {
      if (msg.contains(f.getKey())) {
        return new IllegalArgumentException(f.getValue() + ": " + msg, e);
      }
    }
    return e;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  static String newRunId() {
    return "r-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  /** Polls the run's progress and draws one bar per stage until it ends. */
  static final class RunFollower {
    private final PipelineClient pipeline;
    private final String runId;

    RunFollower(PipelineClient pipeline, String runId) {
      this.pipeline = pipeline;
      this.runId = runId;
    }

    RunResult follow() throws InterruptedException {
      String stage = null;
      ConsoleProgress bar = null;
      try {
        while (true) {
          try {
            return pipeline.await(runId, Duration.ofSeconds(1));
          } catch (TimeoutException e) {
            // still running
          }
          PipelineClient.Progress p;
          try {
            p = pipeline.progress(runId);
          } catch (RuntimeException e) {
            continue; // the run is between workflow tasks, or Temporal restarts
          }
          String s = p.run().stage();
          var hb = p.heartbeat();
          if (s != null && !s.equals(stage) && hb != null && hb.totalSteps() > 0) {
            if (bar != null) {
              bar.close();
            }
            bar = new ConsoleProgress(s, hb.totalSteps());
            stage = s;
          }
          if (bar != null && hb != null && s.equals(stage)) {
            bar.step(
                hb.step(),
                ConsoleProgress.stageSuffix(
                    s,
                    p.run().state(),
                    hb.loss(),
                    p.attempt(),
                    hb.checkpointKey(),
                    hb.checkpointStep()));
          }
        }
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
    }
  }
}
