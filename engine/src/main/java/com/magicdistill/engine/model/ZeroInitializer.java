package com.magicdistill.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/** Initialises a parameter to zeros (biases, adaLN-Zero, LoRA B). */
final class ZeroInitializer implements Initializer {
  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    return manager.zeros(shape, dataType);
  }
}
