package com.magicdistill.engine.data;

/** What a clip shows: a talking-head portrait (fine-tune set) or general motion (pretraining). */
public enum ClipKind {
  PORTRAIT,
  GENERAL
}
