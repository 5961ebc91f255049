package com.magicdistill.engine.train;

import java.io.IOException;

/**
 * A checkpoint exists but cannot be trusted: its tensor file does not match the manifest's sha256,
 * a tensor is missing, or the format is unknown. Resuming skips it and takes the previous one; a
 * plain {@link IOException} (store unreachable) is not this and is retried instead.
 */
public final class CorruptCheckpointException extends IOException {
  public CorruptCheckpointException(String message) {
    super(message);
  }
}
