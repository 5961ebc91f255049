package com.magicdistill.db;

import java.util.Map;

/**
 * Where the run-metadata database is: a PostgreSQL JDBC URL and credentials.
 *
 * <p>{@link #toString()} never shows the password.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://db.internal:5432/magicdistill}
 * @param user database role
 * @param password the role's password; empty when the server trusts the connection
 */
public record DatabaseSettings(String jdbcUrl, String user, String password) {
  public static final String URL_VAR = "MAGIC_JDBC_URL";
  public static final String USER_VAR = "MAGIC_JDBC_USER";
  public static final String PASSWORD_VAR = "MAGIC_JDBC_PASSWORD";

  public DatabaseSettings {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new IllegalArgumentException(
          "jdbcUrl (" + URL_VAR + ") is not set: give jdbc:postgresql://HOST:PORT/DATABASE");
    }
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "jdbcUrl ("
              + URL_VAR
              + ") must start with jdbc:postgresql: (PostgreSQL is the only supported database), got "
              + jdbcUrl.split("\\?", 2)[0]);
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("user (" + USER_VAR + ") is not set");
    }
    if (password == null) {
      password = "";
    }
  }

  /**
   * Reads {@value #URL_VAR}, {@value #USER_VAR} and {@value #PASSWORD_VAR} (optional) from {@code
   * env}, e.g. {@code System.getenv()}.
   *
   * @throws IllegalArgumentException naming the missing or malformed field
   */
  public static DatabaseSettings fromEnv(Map<String, String> env) {
    return new DatabaseSettings(env.get(URL_VAR), env.get(USER_VAR), env.get(PASSWORD_VAR));
  }

  @Override
  public String toString() {
    return "DatabaseSettings[jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", password="
        + (password.isEmpty() ? "(none)" : "****")
        + "]";
  }
}
