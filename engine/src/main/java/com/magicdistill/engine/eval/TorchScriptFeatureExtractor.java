package com.magicdistill.engine.eval;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Features from a user's own TorchScript network (e.g. an Inception-v3 pool layer for FID, or I3D
 * for FVD), loaded with DJL's PyTorch engine.
 *
 * <p>Input contract of the TorchScript modules (do any mean/std normalisation inside the module):
 *
 * <ul>
 *   <li>frame model: one float32 tensor {@code [1, 3, S, S]}, RGB in [0, 1], the frame resized
 *       bilinearly to {@code S x S} ({@code inputSize});
 *   <li>clip model (optional): one float32 tensor {@code [1, 3, T, S, S]} (N,C,T,H,W, as I3D);
 *       without one, clip features are the mean and standard deviation over time of the frame
 *       features.
 * </ul>
 *
 * <p>The first output tensor is flattened into the feature vector; its length is found by one probe
 * forward pass at load time. The id is {@code ts-<file name>-<first 12 hex of SHA-256>}, so
 * different weights never share an id.
 *
 * <p>Testing: this project cannot download weights, so only the error path is tested (a missing
 * file gives an {@link IllegalArgumentException} naming the path). See docs/EVALUATION.md for how
 * to export a network to TorchScript.
 */
public final class TorchScriptFeatureExtractor implements FeatureExtractor, AutoCloseable {
  private final String id;
  private final int inputSize;
  private final ZooModel<NDList, NDList> frameModel;
  private final ZooModel<NDList, NDList> clipModel;
  private final Predictor<NDList, NDList> framePredictor;
  private final Predictor<NDList, NDList> clipPredictor;
  private final int frameDim;
  private final int clipDim;
  private final int probeFrames;

  private TorchScriptFeatureExtractor(
      String id,
      int inputSize,
      ZooModel<NDList, NDList> frameModel,
      ZooModel<NDList, NDList> clip) {
    this.id = id;
    this.inputSize = inputSize;
    this.frameModel = frameModel;
    this.clipModel = clip;
    this.framePredictor = frameModel.newPredictor();
    this.clipPredictor = clip == null ? null : clip.newPredictor();
    this.probeFrames = ClipShape.DEFAULT.frames();
    this.frameDim = run(framePredictor, new float[3 * inputSize * inputSize], frameShape()).length;
    this.clipDim =
        clip == null
            ? 2 * frameDim
            : run(
                    clipPredictor,
                    new float[3 * probeFrames * inputSize * inputSize],
                    clipShape(probeFrames))
                .length;
  }

  /** Loads a frame-level TorchScript model only; clip features are mean/std of frame features. */
  public static TorchScriptFeatureExtractor load(Path frameModel, int inputSize) {
    return load(frameModel, null, inputSize);
  }

  /**
   * Loads a frame-level model and, if {@code clipModel} is not null, a clip-level model.
   *
   * @throws IllegalArgumentException if a file is missing or cannot be loaded as TorchScript
   */
  public static TorchScriptFeatureExtractor load(Path frameModel, Path clipModel, int inputSize) {
    if (inputSize < 8) {
      throw new IllegalArgumentException("inputSize must be >= 8, got " + inputSize);
    }
    requireFile(frameModel, "frame");
    if (clipModel != null) {
      requireFile(clipModel, "clip");
    }
    String id = "ts-" + frameModel.getFileName() + "-" + sha256Prefix(frameModel);
    if (clipModel != null) {
      id += "+" + clipModel.getFileName() + "-" + sha256Prefix(clipModel);
    }
    return new TorchScriptFeatureExtractor(
        id + "-s" + inputSize,
        inputSize,
        loadModel(frameModel),
        clipModel == null ? null : loadModel(clipModel));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int frameDim() {
    return frameDim;
  }

  @Override
  public int clipDim() {
    return clipDim;
  }

  @Override
  public double[] frameFeatures(Clip clip, int t) {
    return run(framePredictor, resizedChw(clip, t), frameShape());
  }

  @Override
  public double[] clipFeatures(Clip clip) {
    int frames = clip.frames();
    if (clipPredictor != null) {
      int plane = inputSize * inputSize;
      float[] x = new float[3 * frames * plane];
      for (int t = 0; t < frames; t++) {
        float[] chw = resizedChw(clip, t);
        for (int c = 0; c < 3; c++) {
          System.arraycopy(chw, c * plane, x, (c * frames + t) * plane, plane);
        }
      }
      return run(clipPredictor, x, clipShape(frames));
    }
    double[] out = new double[2 * frameDim];
    double[][] f = new double[frames][];
    for (int t = 0; t < frames; t++) {
      f[t] = frameFeatures(clip, t);
    }
    for (int d = 0; d < frameDim; d++) {
      double mean = 0;
      for (double[] row : f) {
        mean += row[d];
      }
      mean /= frames;
      double var = 0;
      for (double[] row : f) {
        var += (row[d] - mean) * (row[d] - mean);
      }
      out[d] = mean;
      out[frameDim + d] = Math.sqrt(var / frames);
    }
    return out;
  }

  @Override
  public void close() {
    framePredictor.close();
    frameModel.close();
    if (clipModel != null) {
      clipPredictor.close();
      clipModel.close();
    }
  }

  private Shape frameShape() {
    return new Shape(1, 3, inputSize, inputSize);
  }

  private Shape clipShape(int frames) {
    return new Shape(1, 3, frames, inputSize, inputSize);
  }

  /** Frame {@code t} resized to S x S, channel-major (C,H,W) floats. */
  private float[] resizedChw(Clip clip, int t) {
    int h = clip.shape().height();
    int w = clip.shape().width();
    int plane = inputSize * inputSize;
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      double[] r =
          FrameOps.resizeBilinear(FrameOps.channel(clip, t, c), h, w, inputSize, inputSize);
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = (float) r[i];
      }
    }
    return out;
  }

  private static double[] run(Predictor<NDList, NDList> predictor, float[] input, Shape shape) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(input, shape);
      NDList out = predictor.predict(new NDList(x));
      float[] y = out.get(0).toFloatArray();
      double[] f = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        f[i] = y[i];
      }
      out.close();
      return f;
    } catch (TranslateException e) {
      throw new IllegalStateException("TorchScript feature model failed on input " + shape, e);
    }
  }

  private static void requireFile(Path path, String what) {
    if (path == null || !Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "TorchScript "
              + what
              + " feature model not found: "
              + path
              + " (export one with torch.jit.save; see docs/EVALUATION.md)");
    }
  }

  private static ZooModel<NDList, NDList> loadModel(Path path) {
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(path)
            .optEngine("PyTorch")
            .build();
    try {
      return criteria.loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new IllegalArgumentException("cannot load TorchScript model " + path + ": " + e, e);
    }
  }

  private static String sha256Prefix(Path path) {
    try {
      return Sha256.of(path).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
