package com.magicdistill.db;

/**
 * A database operation of a repository ({@link Repositories}) failed. The message names the
 * operation and the run/stage (or object key) it was about; the cause is the driver's {@link
 * java.sql.SQLException} when there is one.
 */
public class RepositoryException extends RuntimeException {
  public RepositoryException(String message) {
    super(message);
  }

  public RepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
