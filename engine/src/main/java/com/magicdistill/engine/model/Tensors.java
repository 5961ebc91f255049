package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between {@link Clip} (T,H,W,C in [0, 1]) and model tensors (B,3,T,H,W in [-1, 1]).
 */
public final class Tensors {
  private Tensors() {}

  /** Clips -> (B, 3, T, H, W) in [-1, 1]. */
  public static NDArray clips(NDManager m, List<Clip> clips) {
    ClipShape s = clips.get(0).shape();
    float[] flat = new float[clips.size() * s.size()];
    int n = s.size();
    for (int i = 0; i < clips.size(); i++) {
      float[] rgb = clips.get(i).rgb();
      for (int j = 0; j < n; j++) {
        flat[i * n + j] = rgb[j] * 2f - 1f;
      }
    }
    return m.create(flat, new Shape(clips.size(), s.frames(), s.height(), s.width(), 3))
        .transpose(0, 4, 1, 2, 3);
  }

  /** First frames of clips -> (B, 3, H, W) in [-1, 1]. */
  public static NDArray firstFrames(NDManager m, List<Clip> clips) {
    return frames(m, clips.stream().map(c -> c.frame(0)).toList(), clips.get(0).shape());
  }

  /** H,W,C frames in [0, 1] -> (B, 3, H, W) in [-1, 1]. */
  public static NDArray frames(NDManager m, List<float[]> frames, ClipShape s) {
    int n = s.frameSize();
    float[] flat = new float[frames.size() * n];
    for (int i = 0; i < frames.size(); i++) {
      float[] f = frames.get(i);
      for (int j = 0; j < n; j++) {
        flat[i * n + j] = f[j] * 2f - 1f;
      }
    }
    return m.create(flat, new Shape(frames.size(), s.height(), s.width(), 3)).transpose(0, 3, 1, 2);
  }

  /** (B, 3, T, H, W) in [-1, 1] -> clips in [0, 1] (clamped), ids {@code prefix-i}. */
  public static List<Clip> toClips(NDArray x, String prefix) {
    Shape sh = x.getShape();
    ClipShape s = new ClipShape((int) sh.get(2), (int) sh.get(3), (int) sh.get(4));
    float[] flat = x.transpose(0, 2, 3, 4, 1).toFloatArray();
    List<Clip> out = new ArrayList<>();
    int n = s.size();
    for (int i = 0; i < sh.get(0); i++) {
      float[] rgb = new float[n];
      for (int j = 0; j < n; j++) {
        rgb[j] = Math.min(1f, Math.max(0f, (flat[i * n + j] + 1f) * 0.5f));
      }
      out.add(new Clip(prefix + "-" + i, s, rgb));
    }
    return out;
  }
}
