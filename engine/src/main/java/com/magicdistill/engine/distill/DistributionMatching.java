package com.magicdistill.engine.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.CheckpointIO;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.CorruptCheckpointException;
import com.magicdistill.engine.train.Ema;
import com.magicdistill.engine.train.LearningRateSchedule;
import com.magicdistill.engine.train.NoUsableCheckpointException;
import com.magicdistill.engine.train.StageControl;
import com.magicdistill.engine.train.StepStats;
import com.magicdistill.engine.train.Trainer;
import com.magicdistill.storage.ObjectNotFoundException;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One distribution-matching stage: DMD2 with a LoRA fake score model (docs/ALGORITHM.md#dmd-lora,
 * {@code alphaWeak = 0}) or weak-to-strong matching (#w2s, {@code alphaWeak > 0}). Each iteration
 * makes {@code criticUpdates} LoRA updates, then one generator update; both optimisers checkpoint
 * together at iteration boundaries, and a stage pointer ({@code <prefix>/latest.json}) written last
 * names the pair, so a resume is consistent and bit-identical.
 *
 * <p>A stage can continue from another stage's final state ({@code initFrom}): W2S continues from
 * the DMD-LoRA stage's generator, LoRA and optimiser moments; the control arm continues plain DMD
 * from the same point.
 */
public final class DistributionMatching {
  private static final Logger LOG = LoggerFactory.getLogger(DistributionMatching.class);
  private static final ObjectMapper JSON = Json.MAPPER;
  static final String POINTER = "latest.json";
  static final String HISTORY = "pointers";

  /** Per-iteration numbers of a stage. */
  public record IterationStats(
      long iteration, float generatorLoss, float criticLoss, float generatorGradNorm, double ms) {}

  /** Called after each generator update; {@code probe} runs every {@code probeEvery} updates. */
  public interface Listener {
    void onIteration(IterationStats stats);

    /** Before the stage starts, with the generator as built from the teacher. */
    default void onStart(VideoDiT generator) {}

    /**
     * cos(g_W2S, g_DMD) on the fixed probe batch, every {@code alignmentEvery} updates and after
     * the last (docs/ALGORITHM.md#w2s-alignment).
     */
    default void onAlignment(GradientAlignment alignment) {}

    /** The generator with its EMA weights swapped in (restored after the call). */
    default void probe(long iteration, VideoDiT emaGenerator) {}

    /**
     * Before the first update: the stage runs generator updates {@code done + 1} to {@code last}
     * ({@code done} is past the stage's first iteration when it resumed).
     */
    default void onUpdates(long done, long last) {}

    /** When the stage resumed from its own checkpoint pair of {@code iteration}. */
    default void onResume(long iteration, String generatorCheckpoint) {}

    /** After the checkpoint pair of {@code iteration} and the stage pointer were written. */
    default void onCheckpoint(
        long iteration, String generatorCheckpoint, String criticCheckpoint) {}
  }

  /** What a finished stage reports. */
  public record Result(
      String name,
      String prefix,
      long startIteration,
      long endIteration,
      List<IterationStats> stats,
      List<GradientAlignment> alignments,
      String generatorCheckpoint,
      String criticCheckpoint,
      boolean stopped) {
    public double medianMsPerIteration() {
      return Median.of(stats.stream().mapToDouble(IterationStats::ms).toArray());
    }
  }

  private final String name;
  private final DistillConfig cfg;

  public DistributionMatching(String name, DistillConfig cfg) {
    this.name = name;
    this.cfg = cfg;
  }

  /**
   * Runs {@code cfg.iterations()} generator updates on {@code models}, checkpointing as {@code run}
   * says; with {@code run.resume()} it continues from its own newest checkpoint pair if there is
   * one, and {@code run.control()} may add time-based checkpoint pairs or stop it early (after a
   * pair; {@link Result#stopped()} tells).
   *
   * @param initFrom prefix of a finished stage to continue from, or null to start from the models
   *     as they are
   * @param probeEvery call {@link Listener#probe} every this many updates (0 = never)
   */
  public Result run(
      DistillModels models,
      List<Clip> clips,
      String initFrom,
      int probeEvery,
      CheckpointedRun<Listener> run)
      throws IOException {
    ObjectStore store = run.store();
    String prefix = run.prefix();
    boolean resume = run.resume();
    Listener listener = run.listener();
    StageControl control = run.control();
    if (clips.isEmpty()) {
      throw new IllegalArgumentException(
          "training data is empty: give a dataset with clips that pass the quality filter");
    }
    List<String> problems = new ArrayList<>();
    List<Pointer> own = resume ? Pointer.history(store, prefix, problems) : List.of();
    Pointer init = null;
    if (initFrom != null) {
      // On a resume only the start iteration is read from it, and a damaged one is not fatal.
      init =
          own.isEmpty()
              ? Pointer.require(store, initFrom)
              : Pointer.readOrNull(store, ObjectStore.join(initFrom, POINTER), new ArrayList<>());
    }
    long start = init != null ? init.iteration() : 0;
    long total = stageTotal(own, initFrom != null && init == null, start);
    String genPrefix = prefix + "/generator";
    String criticPrefix = prefix + "/critic";
    VideoDiT generator = models.generator();
    List<IterationStats> stats = new ArrayList<>();
    List<GradientAlignment> alignments = new ArrayList<>();
    Pointer from = null;
    Pointer written = null;
    try (Trainer gen =
            new Trainer(
                generator,
                null,
                cfg.generatorTraining((int) total),
                new DmdObjective(clips, cfg, models.fake().score(), models.fake().gan()),
                store,
                genPrefix);
        Trainer critic =
            new Trainer(
                models.fake(),
                null,
                cfg.criticTraining((int) total),
                new CriticObjective(clips, cfg, generator, models.fake().gan()),
                store,
                criticPrefix)) {
      gen.schedule(LearningRateSchedule.constant(cfg.generatorLr(), 0))
          .configJson(configJson(generator, "generator"))
          .rssEvery(0);
      critic
          .schedule(LearningRateSchedule.constant(cfg.criticLr(), 0))
          .configJson(configJson(models.fake().score(), "critic"))
          .rssEvery(0);
      if (!own.isEmpty() || !problems.isEmpty()) {
        from = resumeNewestValid(own, gen, critic, problems);
        if (from == null) {
          // Starting over would silently throw the stage's progress away.
          throw new NoUsableCheckpointException(store, prefix, problems);
        }
        if (listener != null) {
          listener.onResume(from.iteration(), from.generator());
        }
      } else if (init != null) {
        gen.resumeFrom(init.generator());
        critic.resumeFrom(init.critic());
        LOG.info("{}: continuing from iteration {} ({})", name, init.iteration(), init.stage());
      }
      long lastCheckpointNanos = System.nanoTime();
      boolean stopped = false;
      LOG.info(
          "{}: {} generator updates, {} critic updates each, alpha real/fake {}/{}",
          name,
          total - gen.completedSteps(),
          cfg.criticUpdates(),
          cfg.alphaWeak(),
          cfg.alphaStrong());
      if (listener != null) {
        listener.onUpdates(gen.completedSteps(), total);
      }
      while (gen.completedSteps() < total) {
        long t0 = System.nanoTime();
        float criticLoss = 0;
        for (int j = 0; j < cfg.criticUpdates(); j++) {
          criticLoss += critic.step().loss();
        }
        StepStats g = gen.step();
        long iteration = gen.completedSteps();
        var it =
            new IterationStats(
                iteration,
                g.loss(),
                criticLoss / cfg.criticUpdates(),
                g.gradNorm(),
                (System.nanoTime() - t0) / 1e6);
        stats.add(it);
        if (listener != null) {
          listener.onIteration(it);
        }
        boolean last = iteration == total;
        if (cfg.alignmentEvery() > 0 && (iteration % cfg.alignmentEvery() == 0 || last)) {
          GradientAlignment a =
              GradientAlignment.measure(iteration, generator, models.fake().score(), clips, cfg);
          alignments.add(a);
          LOG.info(
              "{} iteration {}: cos(g_W2S, g_DMD) {} |g_W2S|/|g_DMD| {} (1 - alpha {})",
              name,
              iteration,
              a.cosine(),
              a.normRatio(),
              a.oneMinusAlpha());
          if (listener != null) {
            listener.onAlignment(a);
          }
        }
        boolean stop = !last && control.stopRequested().getAsBoolean();
        // A stop whose checkpoint would not be written in time (a drain deadline) writes none.
        boolean skip = stop && !control.checkpointFitsOnStop();
        if (skip) {
          LOG.info(
              "{}: no checkpoint of iteration {}: it would not be written in time",
              name,
              iteration);
        } else if (last
            || stop
            || (cfg.checkpointEvery() > 0 && iteration % cfg.checkpointEvery() == 0)
            || control.checkpointDue(lastCheckpointNanos)) {
          long saveStart = System.nanoTime();
          String g1 = last ? latest(store, genPrefix) : gen.saveCheckpoint();
          String c1 = last ? latest(store, criticPrefix) : critic.saveCheckpoint();
          written = new Pointer(name, iteration, total, g1, c1);
          written.write(store, prefix);
          if (!last) {
            control.savedSince(saveStart);
          }
          lastCheckpointNanos = System.nanoTime();
          if (listener != null) {
            listener.onCheckpoint(iteration, g1, c1);
          }
        }
        if (listener != null && probeEvery > 0 && (iteration % probeEvery == 0 || last)) {
          try (Ema.Swap swap = gen.ema().swapInto(generator)) {
            listener.probe(iteration, generator);
          }
        }
        if (stop) {
          LOG.info("{}: stopped on request after iteration {} of {}", name, iteration, total);
          stopped = true;
          break;
        }
      }
    }
    // The pair in hand, not a re-read of latest.json: that file may be the corrupt one skipped.
    Pointer end = written != null ? written : from != null ? from : Pointer.require(store, prefix);
    return new Result(
        name,
        prefix,
        start,
        end.iteration(),
        stats,
        alignments,
        end.generator(),
        end.critic(),
        end.iteration() < total);
  }

  /**
   * The iteration this stage ends at: {@code start} (where the stage it continues from ended) plus
   * {@code cfg.iterations()}. A resumed stage asked for more iterations than its checkpoints were
   * written for runs on to the new end (the learning rates are constant, so this equals a longer
   * run from the start); fewer than it has already done is refused. When the stage it continued
   * from is gone ({@code startGone}), the recorded end stands.
   */
  private long stageTotal(List<Pointer> own, boolean startGone, long start) {
    long total = start + cfg.iterations();
    if (own.isEmpty()) {
      return total;
    }
    Pointer newest = own.get(0);
    if (startGone) {
      return newest.total();
    }
    if (newest.iteration() > total) {
      throw new IllegalArgumentException(
          name
              + ": asked for "
              + cfg.iterations()
              + " iterations, but its checkpoints are already at iteration "
              + newest.iteration()
              + (start > 0 ? " (" + start + " of them before this stage)" : "")
              + ": ask for at least "
              + (newest.iteration() - start)
              + ", or start in an empty work folder");
    }
    if (newest.total() != total) {
      LOG.info(
          "{}: its checkpoints were written for {} iterations; continuing to {}",
          name,
          newest.total(),
          total);
    }
    return total;
  }

  /**
   * Restores the newest pair of {@code candidates} (newest first) whose two checkpoints both
   * verify; a corrupt one is skipped with a warning. Returns the pair used, or null if none
   * verifies.
   */
  private Pointer resumeNewestValid(
      List<Pointer> candidates, Trainer gen, Trainer critic, List<String> problems)
      throws IOException {
    for (Pointer p : candidates) {
      try {
        gen.resumeFrom(p.generator());
        critic.resumeFrom(p.critic());
        LOG.info("{}: resuming at iteration {} ({})", name, p.iteration(), p.generator());
        return p;
      } catch (CorruptCheckpointException | ObjectNotFoundException e) {
        LOG.warn(
            "{}: skipping checkpoint pair of iteration {}: {}",
            name,
            p.iteration(),
            e.getMessage());
        problems.add(e.getMessage());
      }
    }
    return null;
  }

  private static String latest(ObjectStore store, String prefix) throws IOException {
    return CheckpointIO.latest(store, prefix)
        .orElseThrow(() -> new IllegalStateException("no checkpoint under " + prefix));
  }

  private String configJson(VideoDiT model, String role) {
    ObjectNode node = JSON.createObjectNode();
    node.put("phase", name + "/" + role);
    node.set("model", JSON.valueToTree(model.config()));
    node.set("distill", JSON.valueToTree(cfg));
    return node.toString();
  }

  /**
   * Whether {@code prefix} in {@code store} holds a stage that has made {@code iterations} updates,
   * so that another stage can continue from it.
   */
  public static boolean finished(ObjectStore store, String prefix, long iterations)
      throws IOException {
    Pointer p = Pointer.read(store, prefix);
    return p != null && p.iteration() >= iterations;
  }

  /** A stage's checkpoint pair of one iteration: the generator's checkpoint prefix. */
  public record Checkpoint(long iteration, String generator) {}

  /**
   * The checkpoint pairs a stage under {@code prefix} wrote, oldest first (its pointer history; an
   * unreadable pointer is skipped with a warning).
   */
  public static List<Checkpoint> checkpoints(ObjectStore store, String prefix) throws IOException {
    List<Checkpoint> out = new ArrayList<>();
    for (Pointer p : Pointer.history(store, prefix, new ArrayList<>())) {
      out.add(0, new Checkpoint(p.iteration(), p.generator()));
    }
    return out;
  }

  /**
   * The stage pointer: the consistent (generator, critic) checkpoint pair of an iteration. Each is
   * also kept as {@code <prefix>/pointers/iter-%08d.json}, so a resume can fall back to an earlier
   * pair when the newest is corrupt.
   */
  record Pointer(String stage, long iteration, long total, String generator, String critic) {
    void write(ObjectStore store, String prefix) throws IOException {
      byte[] json = JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
      store.put(
          ObjectStore.join(prefix, HISTORY, String.format("iter-%08d.json", iteration)), json);
      store.put(ObjectStore.join(prefix, POINTER), json);
    }

    /**
     * The stage's pointers, newest first: {@code latest.json}, then the history. A pointer that is
     * not valid JSON is skipped with a warning and described in {@code problems}.
     */
    static List<Pointer> history(ObjectStore store, String prefix, List<String> problems)
        throws IOException {
      List<Pointer> out = new ArrayList<>();
      Pointer latest = readOrNull(store, ObjectStore.join(prefix, POINTER), problems);
      if (latest != null) {
        out.add(latest);
      }
      List<String> keys = new ArrayList<>(store.list(ObjectStore.join(prefix, HISTORY) + "/"));
      keys.sort(java.util.Comparator.reverseOrder());
      for (String key : keys) {
        Pointer p = readOrNull(store, key, problems);
        if (p != null && (latest == null || p.iteration() < latest.iteration())) {
          out.add(p);
        }
      }
      return out;
    }

    private static Pointer readOrNull(ObjectStore store, String key, List<String> problems)
        throws IOException {
      if (!store.exists(key)) {
        return null;
      }
      try {
        return JSON.readValue(store.get(key), Pointer.class);
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        String problem = key + " is not a valid stage pointer (" + e.getOriginalMessage() + ")";
        LOG.warn("skipping {}", problem);
        problems.add(problem);
        return null;
      }
    }

    static Pointer read(ObjectStore store, String prefix) throws IOException {
      String key = ObjectStore.join(prefix, POINTER);
      return store.exists(key) ? JSON.readValue(store.get(key), Pointer.class) : null;
    }

    static Pointer require(ObjectStore store, String prefix) throws IOException {
      Pointer p = read(store, prefix);
      if (p == null) {
        throw new IllegalArgumentException(
            "distill: no finished stage under '" + prefix + "' in " + store + " to continue from");
      }
      return p;
    }
  }
}
