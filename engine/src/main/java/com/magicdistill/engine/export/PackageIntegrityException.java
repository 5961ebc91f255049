package com.magicdistill.engine.export;

import java.io.IOException;

/**
 * A model package fails verification: a file is missing, its sha256 does not match {@code
 * SHA256SUMS}, or a tensor in {@code weights.safetensors} is missing, unexpected or of the wrong
 * shape. The message names the file (and tensor) and says how to fix it.
 */
public class PackageIntegrityException extends IOException {
  private final String file;

  public PackageIntegrityException(String file, String message) {
    super(message);
    this.file = file;
  }

  /** The offending file of the package (for example {@code weights.safetensors}). */
  public String file() {
    return file;
  }
}
