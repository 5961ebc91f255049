package com.magicdistill.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The object store a stage attempt writes through: every put and delete first asks the fence
 * whether this attempt is still the newest of its stage (a query on {@code stage_attempts}); if
 * not, the write is refused with {@link StaleAttemptException}. Reads pass through.
 */
public final class FencedObjectStore extends ForwardingObjectStore {
  private final BooleanSupplier stillNewest;
  private final String attempt;

  /**
   * @param stillNewest answers whether the writing attempt is still the newest of its stage
   * @param attempt names the attempt in error messages
   */
  public FencedObjectStore(ObjectStore delegate, BooleanSupplier stillNewest, String attempt) {
    super(delegate);
    this.stillNewest = stillNewest;
    this.attempt = attempt;
  }

  private void fence(String key) throws StaleAttemptException {
    if (!stillNewest.getAsBoolean()) {
      throw new StaleAttemptException(
          attempt + " is no longer the newest attempt of its stage; refusing to write " + key);
    }
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    fence(key);
    super.put(key, data);
  }

  @Override
  public void put(String key, Path file) throws IOException {
    fence(key);
    super.put(key, file);
  }

  @Override
  public void put(String key, java.io.InputStream in, long size) throws IOException {
    fence(key);
    super.put(key, in, size);
  }

  @Override
  public boolean delete(String key) throws IOException {
    fence(key);
    return super.delete(key);
  }

  @Override
  public String toString() {
    return delegate() + " (fenced: " + attempt + ")";
  }
}
