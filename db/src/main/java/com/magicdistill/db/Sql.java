package com.magicdistill.db;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.core.NestedRuntimeException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The repositories' access to PostgreSQL: one statement per call on Spring's {@link JdbcClient}
 * (rows mapped to records by column name, {@link RecordRowMapper}), a batch in one transaction, and
 * every Spring or driver failure turned into a {@link RepositoryException} that names the
 * operation.
 *
 * <p>Parameters: enums go in by name, instants as UTC {@code timestamptz}, nulls untyped.
 */
final class Sql {
  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";

  private final JdbcTemplate template;
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  Sql(DataSource dataSource) {
    if (dataSource == null) {
      throw new NullPointerException("dataSource");
    }
    this.template = new JdbcTemplate(dataSource);
    this.jdbc = JdbcClient.create(template);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** Runs {@code sql} (insert, update, delete) and returns how many rows it changed. */
  int update(String op, String sql, Object... params) {
    return run(op, () -> jdbc.sql(sql).params(bindable(params)).update());
  }

  /** The rows of {@code sql}, each mapped to {@code type} by column name. */
  <T> List<T> list(String op, String sql, Class<T> type, Object... params) {
    return run(op, () -> query(sql, type, params).list());
  }

  /** The first row of {@code sql} mapped to {@code type}, if any. */
  <T> Optional<T> first(String op, String sql, Class<T> type, Object... params) {
    return list(op, sql, type, params).stream().findFirst();
  }

  /** Runs {@code sql} once per row of {@code rows}, as one JDBC batch in one transaction. */
  void batch(String op, String sql, List<Object[]> rows) {
    run(
        op,
        () ->
            transaction.execute(
                status -> template.batchUpdate(sql, rows.stream().map(Sql::bindable).toList())));
  }

  /**
   * Runs {@code work} in one transaction: every statement of these repositories inside joins it.
   */
  <T> T inTransaction(String op, Supplier<T> work) {
    return run(op, () -> transaction.execute(status -> work.get()));
  }

  /** A single value of {@code sql} (a count, an id), if there is a row. */
  <T> Optional<T> single(String op, String sql, Class<T> type, Object... params) {
    return run(op, () -> query(sql, type, params).optional());
  }

  /** Records through {@link RecordRowMapper}; single values as {@code JdbcClient} maps them. */
  private <T> JdbcClient.MappedQuerySpec<T> query(String sql, Class<T> type, Object... params) {
    JdbcClient.StatementSpec statement = jdbc.sql(sql).params(bindable(params));
    return type.isRecord() ? statement.query(RecordRowMapper.of(type)) : statement.query(type);
  }

  /** Runs {@code work}; Spring's and the driver's exceptions become a RepositoryException. */
  <T> T run(String op, Supplier<T> work) {
    try {
      return work.get();
    } catch (NestedRuntimeException e) {
      throw failed(op, e);
    }
  }

  /** Names {@code op} and the driver's (or pool's) SQLException when there is one. */
  static RepositoryException failed(String op, NestedRuntimeException e) {
    Throwable cause = e.getMostSpecificCause();
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof SQLException) {
        cause = c;
        break;
      }
    }
    return new RepositoryException(op + " failed: " + cause.getMessage(), cause);
  }

  static void requireOne(int updated, String op, String notFound) {
    if (updated == 0) {
      throw new RepositoryException(op + ": " + notFound);
    }
  }

  static void require(Set<String> allowed, String what, String value) {
    if (value == null || !allowed.contains(value)) {
      throw new IllegalArgumentException(
          what + " must be one of " + new TreeSet<>(allowed) + ", got " + value);
    }
  }

  static <E extends Enum<E>> void require(Class<E> type, String what, E value) {
    if (value == null) {
      throw new IllegalArgumentException(
          what + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", got null");
    }
  }

  private static Object[] bindable(Object... params) {
    Object[] out = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p == null) {
        out[i] = new SqlParameterValue(Types.NULL, null);
      } else if (p instanceof Enum<?> e) {
        out[i] = e.name();
      } else if (p instanceof Instant t) {
        out[i] = OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
      } else {
        out[i] = p;
      }
    }
    return out;
  }
}
