package com.magicdistill.db;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Maps rows to a record by column name ({@code createdAt} from {@code created_at}), with the values
 * and conversions of Spring's {@code SimplePropertyRowMapper} (what {@code JdbcClient.query(Class)}
 * uses), but finding each component's column once per result set instead of once per row. Spring's
 * mapper asks the driver for the camelCase name first and PostgreSQL's driver answers a miss by
 * throwing (a formatted message and a stack trace), and asks for an {@code Instant} the driver
 * cannot give; that cost a list page of 50 runs hundreds of exceptions.
 *
 * <p>One mapper serves one query: it keeps the column indexes of the first row's result set.
 */
public final class RecordRowMapper<T> implements RowMapper<T> {
  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return Shape.of(type);
        }
      };

  /** A record's canonical constructor with its component names, types and column names. */
  private record Shape(
      Constructor<?> constructor, String[] names, String[] columns, TypeDescriptor[] types) {
    static Shape of(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] raw = new Class<?>[components.length];
      String[] names = new String[components.length];
      String[] columns = new String[components.length];
      for (int i = 0; i < components.length; i++) {
        raw[i] = components[i].getType();
        names[i] = components[i].getName();
        columns[i] = JdbcUtils.convertPropertyNameToUnderscoreName(names[i]);
      }
      try {
        Constructor<?> c = type.getDeclaredConstructor(raw);
        TypeDescriptor[] types = new TypeDescriptor[raw.length];
        for (int i = 0; i < raw.length; i++) {
          types[i] = new TypeDescriptor(new MethodParameter(c, i));
        }
        return new Shape(c, names, columns, types);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type + " has no canonical constructor", e);
      }
    }
  }

  private final Class<T> type;
  private final Shape shape;
  private final ConversionService conversions = DefaultConversionService.getSharedInstance();
  private int[] indexes;

  private RecordRowMapper(Class<T> type) {
    this.type = type;
    this.shape = SHAPES.get(type);
  }

  /** A mapper for one query's rows; {@code type} must be a record. */
  public static <T> RecordRowMapper<T> of(Class<T> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    return new RecordRowMapper<>(type);
  }

  @Override
  public T mapRow(ResultSet rs, int rowNum) throws SQLException {
    if (indexes == null) {
      indexes = indexes(rs.getMetaData());
    }
    Object[] args = new Object[indexes.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = value(rs, indexes[i], shape.types[i]);
    }
    // BeanUtils, as Spring's mapper: null for a primitive component becomes 0 / false.
    return type.cast(BeanUtils.instantiateClass(shape.constructor, args));
  }

  private Object value(ResultSet rs, int index, TypeDescriptor td) throws SQLException {
    if (td.getType() == Instant.class) {
      // What Spring ends with after the driver refuses getObject(i, Instant.class).
      Timestamp t = rs.getTimestamp(index);
      return t == null ? null : t.toInstant();
    }
    return conversions.convert(JdbcUtils.getResultSetValue(rs, index, td.getType()), td);
  }

  /**
   * Each component's column: its own name, else its underscored name, case-insensitively and the
   * first such column, as the driver's {@code findColumn} matches.
   */
  private int[] indexes(ResultSetMetaData md) throws SQLException {
    Map<String, Integer> byLabel = new HashMap<>();
    for (int c = md.getColumnCount(); c >= 1; c--) {
      byLabel.put(JdbcUtils.lookupColumnName(md, c).toLowerCase(Locale.ROOT), c);
    }
    int[] out = new int[shape.names.length];
    for (int i = 0; i < out.length; i++) {
      Integer c = byLabel.get(shape.names[i].toLowerCase(Locale.ROOT));
      if (c == null) {
        c = byLabel.get(shape.columns[i]);
      }
      if (c == null) {
        throw new SQLException(
            "no column "
                + shape.columns[i]
                + " for "
                + type.getSimpleName()
                + "."
                + shape.names[i]
                + " in "
                + byLabel.keySet());
      }
      out[i] = c;
    }
    return out;
  }
}
