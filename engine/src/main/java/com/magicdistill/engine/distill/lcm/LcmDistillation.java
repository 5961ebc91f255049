package com.magicdistill.engine.distill.lcm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.stats.Median;
import com.magicdistill.engine.train.CheckpointedRun;
import com.magicdistill.engine.train.ParameterArrays;
import com.magicdistill.engine.train.StepStats;
import com.magicdistill.engine.train.Trainer;
import com.magicdistill.engine.train.TrainingListener;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LCM-4 baseline of the evaluation table (docs/ALGORITHM.md#lcm-baseline): latent consistency
 * distillation of the frozen flow teacher into a student that samples in 4 steps with {@link
 * com.magicdistill.engine.sample.RenoisingSampler}.
 *
 * <p>The student is a {@link VideoDiT} initialised from the teacher's weights and trained by the
 * generic {@link Trainer} on {@link LcmObjective}. The trainer's EMA (decay {@link
 * LcmConfig#targetDecay()}) is the target network theta^-: a separate VideoDiT instance, frozen, is
 * refreshed from it before every step. Checkpoints hold the student, its EMA and AdamW state, so a
 * resume is bit-identical; their config JSON carries {@code model} (so {@code
 * ModelCheckpoints.loadEma} rebuilds the LCM student) and {@code lcm}.
 */
public final class LcmDistillation {
  private static final Logger LOG = LoggerFactory.getLogger(LcmDistillation.class);
  private static final ObjectMapper JSON = Json.MAPPER;

  /** What a finished distillation reports. {@code student} holds the EMA weights. */
  public record Result(
      VideoDiT student,
      String checkpointPrefix,
      Trainer.TrainingSummary summary,
      List<StepStats> steps,
      boolean resumed) {
    /** Median wall milliseconds per training step. */
    public double medianMsPerStep() {
      return Median.of(steps.stream().mapToDouble(StepStats::msPerStep).toArray());
    }
  }

  private final LcmConfig config;

  public LcmDistillation(LcmConfig config) {
    this.config = config;
  }

  public LcmConfig config() {
    return config;
  }

  /**
   * Distils {@code teacher} on {@code clips}; the student lives in a new sub-manager of the manager
   * that owns the teacher's parameters (closed with it).
   */
  public Result run(VideoDiT teacher, List<Clip> clips, CheckpointedRun<TrainingListener> run)
      throws IOException {
    NDManager owner = firstArray(teacher).getManager().newSubManager();
    return run(owner, teacher, clips, run);
  }

  /**
   * Distils {@code teacher} on {@code clips}, checkpointing as {@code run} says (null store: no
   * checkpoints); with {@code run.resume()}, continues from the newest checkpoint there. The
   * teacher is never modified. The returned student (EMA weights) is owned by {@code manager}.
   */
  public Result run(
      NDManager manager, VideoDiT teacher, List<Clip> clips, CheckpointedRun<TrainingListener> run)
      throws IOException {
    ObjectStore store = run.store();
    String prefix = run.prefix();
    TrainingListener listener = run.listener();
    VideoDiT student = copyOf(teacher, manager);
    List<StepStats> steps = new ArrayList<>();
    try (NDManager targetManager = manager.newSubManager()) {
      VideoDiT target = copyOf(teacher, targetManager);
      target.freezeParameters(true);
      LcmObjective objective = new LcmObjective(teacher, target, clips, config);
      try (Trainer trainer =
          new Trainer(student, null, config.trainConfig(), objective, store, prefix)) {
        objective.targetWeights(trainer.ema()::averages);
        trainer.configJson(configJson(teacher)).addListener(steps::add).control(run.control());
        if (listener != null) {
          trainer.addListener(listener);
        }
        boolean resumed = run.resume() && store != null && trainer.resumeFromLatest();
        if (resumed) {
          LOG.info("lcm: resumed at step {}", trainer.completedSteps());
        }
        LOG.info(
            "lcm: distilling {} steps on {} clips (batch {}, N {}, skip {}, target decay {})",
            config.steps(),
            clips.size(),
            config.batchSize(),
            config.solverSteps(),
            config.skip(),
            config.targetDecay());
        Trainer.TrainingSummary summary = trainer.run();
        trainer.ema().copyInto(student);
        LOG.info("lcm: done, {}", summary.describe());
        return new Result(student, prefix, summary, steps, resumed);
      }
    }
  }

  /** A new VideoDiT with {@code source}'s architecture and a bit-exact copy of its weights. */
  public static VideoDiT copyOf(VideoDiT source, NDManager manager) {
    VideoDiT copy = new VideoDiT(source.config());
    copy.initialize(manager);
    copy.loraScale().set(source.loraScale().get());
    Map<String, Parameter> from = ParameterArrays.parameters(source);
    Map<String, Parameter> to = ParameterArrays.parameters(copy);
    for (Map.Entry<String, Parameter> e : from.entrySet()) {
      ParameterArrays.copyInto(to.get(e.getKey()).getArray(), e.getValue().getArray());
    }
    return copy;
  }

  private String configJson(VideoDiT teacher) {
    ObjectNode node = JSON.createObjectNode();
    node.put("phase", "lcm");
    node.set("model", JSON.valueToTree(teacher.config()));
    node.set("lcm", JSON.valueToTree(config));
    node.set("train", JSON.valueToTree(config.trainConfig()));
    return node.toString();
  }

  private static NDArray firstArray(VideoDiT model) {
    return model.getParameters().valueAt(0).getArray();
  }
}
