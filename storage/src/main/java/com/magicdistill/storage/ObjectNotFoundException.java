package com.magicdistill.storage;

import java.io.FileNotFoundException;

/** Thrown when an object key does not exist in an {@link ObjectStore}. */
public class ObjectNotFoundException extends FileNotFoundException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ObjectNotFoundException(String store, String key) {
    super("no object '" + key + "' in " + store);
    this.key = key;
  }

  /** The key that was not found. */
  public String key() {
    return key;
  }
}
