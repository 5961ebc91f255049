package com.magicdistill.storage;

import java.io.IOException;

/**
 * A write by an attempt that is no longer the newest of its stage (a newer attempt took over while
 * this one was thought lost). Refused, so a stale attempt can never overwrite a newer attempt's
 * checkpoint; the stale attempt then ends as SUPERSEDED.
 */
public final class StaleAttemptException extends IOException {
  public StaleAttemptException(String message) {
    super(message);
  }
}
