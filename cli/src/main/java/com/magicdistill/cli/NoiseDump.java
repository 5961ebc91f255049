package com.magicdistill.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.sample.ClipGenerator;
import com.magicdistill.engine.sample.RenoisingSampler;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code magic generate --dump-noise}: every random draw and the result of one generation, as a
 * safetensors file (float32), so that another implementation (python/reference_sampler.py) can
 * start from the same noise and compare (docs/MODEL_PACKAGE.md#reference-sampler). Tensors, N
 * clips: {@code noise} (N, 3, T, H, W), {@code first_frame} (N, 3, H, W) in [-1, 1], {@code
 * renoise.<i>} (N, 3, T, H, W) the fresh noise after step i (renoise sampler, steps whose next
 * sigma is above 0), {@code output} (N, 3, T, H, W) the sampler's x at sigma 0, and {@code clip}
 * (N, T, H, W, 3) the pixels in [0, 1] that the GIF and MP4 show.
 */
final class NoiseDump implements ClipGenerator.BatchObserver {
  private final List<ClipGenerator.Batch> batches = new ArrayList<>();

  @Override
  public void batch(ClipGenerator.Batch batch) {
    batches.add(batch);
  }

  void write(
      Path file,
      ClipShape shape,
      SamplerKind sampler,
      SigmaSchedule schedule,
      long seed,
      List<Clip> clips)
      throws IOException {
    int n = clips.size();
    int per = shape.size();
    float[] noise = new float[n * per];
    float[] output = new float[n * per];
    float[] first = new float[n * shape.frameSize()];
    for (ClipGenerator.Batch b : batches) {
      System.arraycopy(b.noise(), 0, noise, b.firstClip() * per, b.noise().length);
      System.arraycopy(b.output(), 0, output, b.firstClip() * per, b.output().length);
      System.arraycopy(
          b.firstFrames(), 0, first, b.firstClip() * shape.frameSize(), b.firstFrames().length);
    }
    Shape video = new Shape(n, 3, shape.frames(), shape.height(), shape.width());
    try (NDManager m = NDManager.newBaseManager()) {
      NDList list = new NDList();
      list.add(named(m.create(noise, video), "noise"));
      list.add(
          named(m.create(first, new Shape(n, 3, shape.height(), shape.width())), "first_frame"));
      if (sampler == SamplerKind.RENOISE) {
        double[] sigmas = schedule.sigmas();
        for (int step = 0; step + 1 < sigmas.length; step++) {
          if (sigmas[step + 1] <= 0) {
            continue;
          }
          float[] fresh = new float[n * per];
          for (int i = 0; i < n; i++) {
            float[] e = RenoisingSampler.freshNoise(seed, i, step, per);
            System.arraycopy(e, 0, fresh, i * per, per);
          }
          list.add(named(m.create(fresh, video), "renoise." + step));
        }
      }
      list.add(named(m.create(output, video), "output"));
      float[] pixels = new float[n * per];
      for (int i = 0; i < n; i++) {
        System.arraycopy(clips.get(i).rgb(), 0, pixels, i * per, per);
      }
      Shape thwc = new Shape(n, shape.frames(), shape.height(), shape.width(), 3);
      list.add(named(m.create(pixels, thwc), "clip"));
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, list.encode(NDList.Encoding.SAFETENSORS));
    }
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
