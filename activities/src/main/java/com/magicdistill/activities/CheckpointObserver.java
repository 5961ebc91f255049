package com.magicdistill.activities;

/** Told of every checkpoint tensor file a stage attempt uploads (worker metrics). */
@FunctionalInterface
public interface CheckpointObserver {
  /**
   * @param stage the stage's slug
   * @param bytes size of the tensor file
   * @param seconds encoding, hashing and upload of it, streamed together
   */
  void saved(String stage, long bytes, double seconds);
}
