package com.magicdistill.engine.data;

import java.io.IOException;

/** A shard's bytes do not match the manifest (sha256, clip count or shape). */
public class ShardIntegrityException extends IOException {
  private final String shard;

  public ShardIntegrityException(String shard, String message) {
    super("shard " + shard + ": " + message);
    this.shard = shard;
  }

  /** File name of the offending shard. */
  public String shard() {
    return shard;
  }
}
