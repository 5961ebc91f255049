package com.magicdistill.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * An object store that passes every call to another; subclasses override only the calls they change
 * (a fence on writes, a record of deletes).
 */
public abstract class ForwardingObjectStore implements ObjectStore {
  private final ObjectStore delegate;

  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  /** The store the calls go to. */
  protected final ObjectStore delegate() {
    return delegate;
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    delegate.put(key, data);
  }

  @Override
  public void put(String key, Path file) throws IOException {
    delegate.put(key, file);
  }

  @Override
  public void put(String key, InputStream in, long size) throws IOException {
    delegate.put(key, in, size);
  }

  @Override
  public byte[] get(String key) throws IOException {
    return delegate.get(key);
  }

  @Override
  public InputStream openStream(String key) throws IOException {
    return delegate.openStream(key);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return delegate.exists(key);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public boolean delete(String key) throws IOException {
    return delegate.delete(key);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
