package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import java.util.List;

/**
 * VBench-style quality dimensions for generated clips, each a documented formula in [0, 1], higher
 * is better (see docs/EVALUATION.md). Pixel values are in [0, 1].
 *
 * <p>Feature-based dimensions use the extractor's frame features centred on those of a uniform
 * mid-grey frame: {@code g(x) = f(x) - f(grey)}. For {@link HandcraftedFeaturesV1} this subtracts
 * 0.5 from the colour means and leaves the rest unchanged (a grey frame has zero std, gradients and
 * projection), so cosine similarity compares content rather than the shared positive offset of all
 * colour means. Similarities are mapped to [0, 1] by {@code max(0, cos)}, as VBench does.
 */
public final class VBenchMetrics {
  private final FeatureExtractor extractor;
  private final DynamicDegree dynamicDegree;

  public VBenchMetrics(FeatureExtractor extractor) {
    this(extractor, new DynamicDegree());
  }

  public VBenchMetrics(FeatureExtractor extractor, DynamicDegree dynamicDegree) {
    this.extractor = extractor;
    this.dynamicDegree = dynamicDegree;
  }

  /**
   * All dimensions over {@code generated}; {@code conditioningFrames.get(i)} (H,W,C floats) is the
   * first frame clip {@code i} was conditioned on.
   */
  public VBenchScores compute(List<Clip> generated, List<float[]> conditioningFrames) {
    if (generated.isEmpty()) {
      throw new IllegalArgumentException("no generated clips");
    }
    if (conditioningFrames.size() != generated.size()) {
      throw new IllegalArgumentException(
          generated.size() + " clips but " + conditioningFrames.size() + " conditioning frames");
    }
    double i2v = 0;
    double subject = 0;
    double smooth = 0;
    double quality = 0;
    double flicker = 0;
    for (int i = 0; i < generated.size(); i++) {
      Clip clip = generated.get(i);
      double[][] f = centredFrameFeatures(clip);
      i2v += i2vSubject(f, centredImageFeatures(conditioningFrames.get(i), clip));
      subject += subjectConsistency(f);
      smooth += motionSmoothness(clip);
      quality += ImagingQuality.of(clip);
      flicker += temporalFlickering(clip);
    }
    int n = generated.size();
    return VBenchScores.of(
        i2v / n, subject / n, smooth / n, dynamicDegree.of(generated), quality / n, flicker / n);
  }

  /** i2v_subject of one clip: {@code mean_t max(0, cos(g(cond), g(x_t)))}. */
  public double i2vSubject(Clip clip, float[] conditioningFrame) {
    return i2vSubject(centredFrameFeatures(clip), centredImageFeatures(conditioningFrame, clip));
  }

  /** subject_consistency of one clip. */
  public double subjectConsistency(Clip clip) {
    return subjectConsistency(centredFrameFeatures(clip));
  }

  static double i2vSubject(double[][] frames, double[] condition) {
    double s = 0;
    for (double[] f : frames) {
      s += Math.max(0, FrameOps.cosine(condition, f));
    }
    return s / frames.length;
  }

  /**
   * VBench subject consistency: {@code mean_{t>=1} 0.5 * (c(g_0, g_t) + c(g_{t-1}, g_t))} with
   * {@code c = max(0, cos)}.
   */
  static double subjectConsistency(double[][] f) {
    double s = 0;
    for (int t = 1; t < f.length; t++) {
      s +=
          0.5
              * (Math.max(0, FrameOps.cosine(f[0], f[t]))
                  + Math.max(0, FrameOps.cosine(f[t - 1], f[t])));
    }
    return s / (f.length - 1);
  }

  /**
   * Motion smoothness: {@code 1 - mean_{odd t, t+1<T} mean |x_t - (x_{t-1} + x_{t+1}) / 2|} over
   * pixels and channels. Linear interpolation of the even frames stands in for VBench's learned
   * frame interpolator; like VBench's {@code (255 - MAE) / 255} no further rescaling, which puts
   * clean smooth motion at about 0.99.
   */
  public static double motionSmoothness(Clip clip) {
    float[] x = clip.rgb();
    int n = clip.shape().frameSize();
    double s = 0;
    int count = 0;
    for (int t = 1; t + 1 < clip.frames(); t += 2) {
      double e = 0;
      for (int i = t * n; i < (t + 1) * n; i++) {
        e += Math.abs(x[i] - 0.5 * (x[i - n] + x[i + n]));
      }
      s += e / n;
      count++;
    }
    return count == 0 ? 1.0 : 1.0 - s / count;
  }

  /** VBench temporal flickering: {@code 1 - mean_{t>=1} mean |x_t - x_{t-1}|}. */
  public static double temporalFlickering(Clip clip) {
    float[] x = clip.rgb();
    int n = clip.shape().frameSize();
    double s = 0;
    for (int i = n; i < x.length; i++) {
      s += Math.abs(x[i] - x[i - n]);
    }
    return 1.0 - s / (x.length - n);
  }

  private double[][] centredFrameFeatures(Clip clip) {
    double[] ref = greyFeatures(clip.shape().height(), clip.shape().width());
    double[][] f = new double[clip.frames()][];
    for (int t = 0; t < f.length; t++) {
      f[t] = minus(extractor.frameFeatures(clip, t), ref);
    }
    return f;
  }

  private double[] centredImageFeatures(float[] frame, Clip like) {
    int h = like.shape().height();
    int w = like.shape().width();
    Clip still = FrameOps.stillClip("condition", frame, h, w);
    return minus(extractor.frameFeatures(still, 0), greyFeatures(h, w));
  }

  private double[] greyFeatures(int h, int w) {
    float[] grey = new float[h * w * 3];
    java.util.Arrays.fill(grey, 0.5f);
    return extractor.frameFeatures(FrameOps.stillClip("grey", grey, h, w), 0);
  }

  private static double[] minus(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }
}
