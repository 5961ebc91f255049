package com.magicdistill.engine.data;

/**
 * Why a clip is unfit for the portrait fine-tune set. {@link #NONE} marks a clean clip; every other
 * value is a deliberately degraded clip made by {@link PoorClipMaker}.
 */
public enum Defect {
  /** Clean clip. */
  NONE,
  /** Strong Gaussian blur on every frame. */
  BLUR,
  /** One frame repeated for the whole clip (maybe with tiny noise). */
  FROZEN,
  /** The second half comes from a different portrait and background. */
  HARD_CUT,
  /** The face is mostly or fully outside the frame. */
  FACE_OUT_OF_FRAME,
  /** Global brightness jumps up and down by large amounts from frame to frame. */
  FLICKER;

  /** True for every value except {@link #NONE}. */
  public boolean isPoor() {
    return this != NONE;
  }
}
