package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * First-frame (image-to-video) conditioning by channel concatenation, as Stable Video Diffusion
 * does: the model sees, per pixel, [x_sigma, the conditioning frame repeated at every t, a mask
 * that is 1 on the known frame t = 0]. Repeating the image (rather than placing it at t = 0 with
 * zeros after, HunyuanVideo-I2V style) gives every token the reference appearance locally; with
 * zeros after t = 0 the miniature teacher lost the face after frame 1 (blocky patches).
 */
final class ImageConditioning {
  private ImageConditioning() {}

  /**
   * @param x noisy clip (B, 3, T, H, W)
   * @param first conditioning frame (B, 3, H, W)
   * @return (B, 7, T, H, W)
   */
  static NDArray concat(NDArray x, NDArray first) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(2);
    long h = s.get(3);
    long w = s.get(4);
    var m = x.getManager();
    NDArray condVideo = first.expandDims(2).broadcast(new Shape(b, 3, t, h, w));
    NDArray mask =
        ai.djl.ndarray.NDArrays.concat(
            new NDList(
                m.ones(new Shape(b, 1, 1, h, w), x.getDataType()),
                m.zeros(new Shape(b, 1, t - 1, h, w), x.getDataType())),
            2);
    return ai.djl.ndarray.NDArrays.concat(new NDList(x, condVideo, mask), 1);
  }
}
