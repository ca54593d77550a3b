package dev.sluice.common.table;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.ListMap$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Rows of a table's schema, built and read by column name: the column order is written once, in the
 * table's {@link StructType}. In a built row, empty optionals are nulls, instants {@link
 * Timestamp}s, lists arrays and maps Scala maps in the Java map's order: the external values every
 * path that takes rows accepts (Spark's encoders, on the driver and in tasks, and Delta Kernel's
 * batches).
 */
public final class Rows {
  private Rows() {}

  /** A row of {@code schema}, every column set once by name. */
  public static Builder builder(StructType schema) {
    return new Builder(schema);
  }

  /** Builds one row; fails on a column the schema lacks, one set twice, or one never set. */
  public static final class Builder {
    private final StructType schema;
    private final Object[] values;
    private final boolean[] set;

    private Builder(StructType schema) {
      this.schema = requireNonNull(schema, "schema is null");
      this.values = new Object[schema.fields().length];
      this.set = new boolean[values.length];
    }

    public Builder set(String column, Object value) {
      int index = index(column);
      if (set[index]) {
        throw new IllegalArgumentException("Column " + column + " is set twice");
      }
      set[index] = true;
      values[index] = external(value);
      return this;
    }

    /** An instant as the {@link Timestamp} a timestamp column holds. */
    public Builder set(String column, Instant value) {
      return set(column, (Object) (value == null ? null : Timestamp.from(value)));
    }

    /** A value, or null when empty. */
    public Builder set(String column, Optional<?> value) {
      return set(column, value.orElse(null));
    }

    /** A value, or null when empty. */
    public Builder set(String column, OptionalLong value) {
      return set(column, (Object) (value.isPresent() ? value.getAsLong() : null));
    }

    /** A value, or null when empty. */
    public Builder set(String column, OptionalDouble value) {
      return set(column, (Object) (value.isPresent() ? value.getAsDouble() : null));
    }

    /** The row, its values in the schema's column order. */
    public Row build() {
      StructField[] fields = schema.fields();
      for (int i = 0; i < fields.length; i++) {
        if (!set[i]) {
          throw new IllegalArgumentException("Column " + fields[i].name() + " is not set");
        }
        if (values[i] == null && !fields[i].nullable()) {
          throw new IllegalArgumentException("Column " + fields[i].name() + " is not nullable");
        }
      }
      return RowFactory.create(Arrays.copyOf(values, values.length));
    }

    /** Spark's encoders in a task take arrays and Scala maps, not Java lists and maps. */
    private static Object external(Object value) {
      if (value instanceof List<?> list) {
        return list.toArray();
      }
      if (value instanceof Map<?, ?> map) {
        return ListMap$.MODULE$.from(CollectionConverters.asScala(map));
      }
      return value;
    }

    private int index(String column) {
      scala.Option<Object> index = schema.getFieldIndex(column);
      if (index.isEmpty()) {
        throw new IllegalArgumentException(
            "No column " + column + " among " + List.of(schema.fieldNames()));
      }
      return (Integer) index.get();
    }
  }

  /** A timestamp column's value as an instant. */
  public static Instant instant(Row row, String column) {
    return requireNonNull(row.<Timestamp>getAs(column), column + " is null").toInstant();
  }

  /** A nullable column's value, empty when null. */
  public static <T> Optional<T> optional(Row row, String column) {
    return Optional.ofNullable(row.getAs(column));
  }

  /** A nullable long column's value, empty when null. */
  public static OptionalLong optionalLong(Row row, String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? OptionalLong.empty() : OptionalLong.of(row.getLong(index));
  }

  /** A nullable double column's value, empty when null. */
  public static OptionalDouble optionalDouble(Row row, String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? OptionalDouble.empty() : OptionalDouble.of(row.getDouble(index));
  }

  /** An array column's elements. */
  public static <T> List<T> list(Row row, String column) {
    return row.getList(row.fieldIndex(column));
  }

  /** A nullable array column's elements, empty when null. */
  public static <T> Optional<List<T>> optionalList(Row row, String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? Optional.empty() : Optional.of(row.getList(index));
  }

  /** A map column's entries, in the order the row holds them. */
  public static <K, V> Map<K, V> map(Row row, String column) {
    return row.getJavaMap(row.fieldIndex(column));
  }

  /** An unmodifiable copy that keeps the order the map was built or read in. */
  public static <K, V> Map<K, V> ordered(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
