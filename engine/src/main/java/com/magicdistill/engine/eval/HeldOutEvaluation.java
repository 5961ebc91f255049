package com.magicdistill.engine.eval;

import ai.djl.nn.Block;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.MotionModel;
import com.magicdistill.engine.data.SynthSpec;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.Sampler;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Held-out evaluation, the last recipe step (docs/EVALUATION.md): every method samples from the
 * held-out clips' first frames with the same noise, and its clips are scored against the real
 * held-out clips (Frechet distances, VBench-style dimensions, model calls and wall time).
 *
 * <p>Dynamic degree is calibrated once, on the real held-out clips, before any method is scored,
 * and every method is scored under that threshold; each method also gets the paired motion ratio
 * and 95% bootstrap intervals over clips (docs/EVALUATION.md).
 */
public final class HeldOutEvaluation {
  /** Clips generated per batch. */
  public static final int BATCH = 16;

  /** A method's scores and the clips it generated. */
  public record Scored(MethodMetrics metrics, List<Clip> clips) {}

  private final FeatureExtractor fx;
  private final List<Clip> heldOut;
  private final List<float[]> firstFrames;
  private final ClipGenerator generator;
  private final long noiseSeed;
  private final DynamicDegreeCalibration calibration;
  private final Bootstrap bootstrap;
  private double[][] realRows;
  private double[] realEnergies;

  /**
   * @param heldOut the real held-out clips, whose first frames condition every method
   * @param noiseSeed the noise (and re-noising) seed shared by every method
   */
  public HeldOutEvaluation(FeatureExtractor fx, List<Clip> heldOut, long noiseSeed) {
    this(fx, heldOut, noiseSeed, new Bootstrap());
  }

  /**
   * @param bootstrap the draws behind every interval (fewer draws score faster, with rougher
   *     intervals)
   */
  public HeldOutEvaluation(
      FeatureExtractor fx, List<Clip> heldOut, long noiseSeed, Bootstrap bootstrap) {
    this.fx = fx;
    this.heldOut = List.copyOf(heldOut);
    this.firstFrames = heldOut.stream().map(c -> c.frame(0)).toList();
    this.generator = new ClipGenerator(heldOut.get(0).shape(), BATCH);
    this.noiseSeed = noiseSeed;
    this.calibration = DynamicDegreeCalibration.on(this.heldOut);
    this.bootstrap = bootstrap;
  }

  /** {@code n} synthetic held-out portraits of {@code shape} drawn with {@code seed} (v1 data). */
  public static List<Clip> syntheticPortraits(long seed, int n, ClipShape shape) {
    return syntheticPortraits(seed, n, shape, MotionModel.V1);
  }

  /**
   * {@code n} held-out portraits of {@code data}'s shape and motion model, drawn with {@code seed}.
   */
  public static List<Clip> syntheticPortraits(long seed, int n, SynthSpec data) {
    return syntheticPortraits(seed, n, data.shape(), data.motionModel());
  }

  private static List<Clip> syntheticPortraits(
      long seed, int n, ClipShape shape, MotionModel motion) {
    return IntStream.range(0, n)
        .mapToObj(i -> SyntheticDataset.portrait(seed, i, shape, motion).clip())
        .toList();
  }

  /**
   * Samples two first frames with {@code model} (Euler-4, other noise) so that the first method
   * timed does not pay for warming up the process.
   */
  public void warmUp(Block model) {
    generator.generate(
        model,
        SigmaSchedule.FOUR_STEP,
        firstFrames.subList(0, Math.min(2, firstFrames.size())),
        1,
        "warmup");
  }

  /** Samples with a fresh sampler of {@code kind} over {@code model} and scores the clips. */
  public Scored score(String id, SamplerKind kind, Block model, SigmaSchedule schedule) {
    return score(id, kind.create(model, schedule, noiseSeed));
  }

  /** Samples with {@code sampler} (fresh: its call count starts at zero) and scores the clips. */
  public Scored score(String id, Sampler sampler) {
    var g = generator.generate(sampler, firstFrames, noiseSeed, id);
    MethodMetrics m =
        Evaluation.evaluate(
            fx,
            g.clips(),
            heldOut,
            firstFrames,
            g.modelCallsPerClip(),
            g.wallMsPerClip(),
            calibration,
            bootstrap);
    return new Scored(m, g.clips());
  }

  /** One training seed's clips of a method and their figures without intervals. */
  public record SeedScored(SeedRun run, List<Clip> clips) {}

  /**
   * Samples with a fresh sampler of {@code kind} over one training seed's {@code model} and scores
   * the clips without intervals, keeping what {@link #pool} needs
   * (docs/EVALUATION.md#training-seeds).
   */
  public SeedScored scoreSeed(String id, SamplerKind kind, Block model, SigmaSchedule schedule) {
    var g = generator.generate(kind.create(model, schedule, noiseSeed), firstFrames, noiseSeed, id);
    SeedRun run =
        Evaluation.evaluateSeed(
            fx,
            g.clips(),
            heldOut,
            realClipFeatures(),
            realMotionEnergies(),
            firstFrames,
            g.modelCallsPerClip(),
            g.wallMsPerClip(),
            calibration);
    return new SeedScored(run, g.clips());
  }

  /** One row from a method's training seeds, intervals over seeds and clips. */
  public SeedPooling.Pooled pool(List<SeedRun> seeds) {
    return SeedPooling.pool(seeds, bootstrap);
  }

  private synchronized double[][] realClipFeatures() {
    if (realRows == null) {
      realRows = FrechetScores.clipFeatures(fx, heldOut);
    }
    return realRows;
  }

  private synchronized double[] realMotionEnergies() {
    if (realEnergies == null) {
      realEnergies = new PairedMotion(calibration.dynamicDegree()).energies(heldOut);
    }
    return realEnergies;
  }

  /**
   * Scores clips that no model generated (the anchors): clip {@code i} pairs with held-out clip
   * {@code i}; no model calls, no wall time.
   */
  public Scored scoreClips(List<Clip> clips) {
    MethodMetrics m =
        Evaluation.evaluate(fx, clips, heldOut, firstFrames, 0, 0, calibration, bootstrap);
    return new Scored(m, clips);
  }

  /**
   * The anchor rows that bound each metric's scale (docs/EVALUATION.md#anchors), built from the
   * held-out clips: first frame repeated, real plus noise (seeded with the noise seed), real
   * temporally blurred.
   */
  public Map<String, Scored> scoreAnchors() {
    Map<String, Scored> m = new LinkedHashMap<>();
    m.put("anchor_first_frame_repeated", scoreClips(Anchors.firstFrameRepeated(heldOut)));
    m.put("anchor_real_noisy", scoreClips(Anchors.noisy(heldOut, noiseSeed)));
    m.put("anchor_real_temporal_blur", scoreClips(Anchors.temporallyBlurred(heldOut)));
    return m;
  }

  /**
   * The dynamic-degree threshold every method is scored under, calibrated on the held-out clips.
   */
  public DynamicDegreeCalibration calibration() {
    return calibration;
  }

  public Bootstrap bootstrap() {
    return bootstrap;
  }

  public FeatureExtractor featureExtractor() {
    return fx;
  }

  public List<Clip> heldOut() {
    return heldOut;
  }

  public List<float[]> firstFrames() {
    return firstFrames;
  }

  /** The generator every method samples through (e.g. to warm it up). */
  public ClipGenerator generator() {
    return generator;
  }

  public long noiseSeed() {
    return noiseSeed;
  }
}
