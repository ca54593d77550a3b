package dev.sluice.common.lakehouse;

import dev.sluice.common.engine.internal.SchemaRows;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Values between Spark's external rows and Delta Kernel's columnar data: Spark rows become a Kernel
 * batch for a write, and Kernel's rows become Spark rows with their schema for a read. Timestamps
 * are microseconds since the epoch in Kernel, {@link Timestamp} in Spark; dates are days since the
 * epoch in Kernel, {@link Date} in Spark; arrays and maps are Scala collections in Spark's rows, as
 * Spark's own collect returns them.
 */
final class KernelValues {
  private KernelValues() {}

  /** The rows as one Kernel batch of {@code schema}, matching fields by name. */
  static ColumnarBatch batch(
      StructType schema, org.apache.spark.sql.types.StructType rowSchema, List<Row> rows) {
    List<ColumnVector> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      int position = rowSchema.fieldIndex(field.getName());
      List<Object> values = new ArrayList<>(rows.size());
      for (Row row : rows) {
        values.add(row.get(position));
      }
      columns.add(new Values(field.getDataType(), values));
    }
    return new Batch(schema, columns, rows.size());
  }

  /** Every row of a Kernel batch (those its selection keeps) as Spark rows of {@code schema}. */
  static void addRows(
      ColumnarBatch batch,
      java.util.Optional<ColumnVector> selection,
      org.apache.spark.sql.types.StructType schema,
      List<Row> into) {
    StructType kernel = batch.getSchema();
    // Each Spark column's vector, found by name once per batch, not once per row.
    org.apache.spark.sql.types.StructField[] fields = schema.fields();
    ColumnVector[] columns = new ColumnVector[fields.length];
    for (int i = 0; i < fields.length; i++) {
      columns[i] = batch.getColumnVector(kernel.indexOf(fields[i].name()));
    }
    for (int r = 0; r < batch.getSize(); r++) {
      if (selection.isPresent()
          && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
        continue;
      }
      Object[] values = new Object[fields.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = toSpark(columns[i], r, fields[i].dataType());
      }
      into.add(SchemaRows.create(values, schema));
    }
  }

  private static Object toSpark(
      ColumnVector column, int r, org.apache.spark.sql.types.DataType sparkType) {
    if (column.isNullAt(r)) {
      return null;
    }
    DataType type = column.getDataType();
    if (type instanceof StringType) {
      return column.getString(r);
    } else if (type instanceof LongType) {
      return column.getLong(r);
    } else if (type instanceof IntegerType) {
      return column.getInt(r);
    } else if (type instanceof DoubleType) {
      return column.getDouble(r);
    } else if (type instanceof BooleanType) {
      return column.getBoolean(r);
    } else if (type instanceof FloatType) {
      return column.getFloat(r);
    } else if (type instanceof ShortType) {
      return column.getShort(r);
    } else if (type instanceof ByteType) {
      return column.getByte(r);
    } else if (type instanceof BinaryType) {
      return column.getBinary(r);
    } else if (type instanceof DecimalType) {
      return column.getDecimal(r);
    } else if (type instanceof TimestampType) {
      return Timestamp.from(Instant.EPOCH.plus(column.getLong(r), ChronoUnit.MICROS));
    } else if (type instanceof TimestampNTZType) {
      return LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
          .plus(column.getLong(r), ChronoUnit.MICROS);
    } else if (type instanceof DateType) {
      return Date.valueOf(LocalDate.ofEpochDay(column.getInt(r)));
    } else if (type instanceof ArrayType) {
      ArrayValue array = column.getArray(r);
      org.apache.spark.sql.types.DataType element =
          ((org.apache.spark.sql.types.ArrayType) sparkType).elementType();
      Object[] elements = new Object[array.getSize()];
      for (int i = 0; i < elements.length; i++) {
        elements[i] = toSpark(array.getElements(), i, element);
      }
      return scala.collection.immutable.ArraySeq$.MODULE$.unsafeWrapArray(elements);
    } else if (type instanceof MapType) {
      MapValue map = column.getMap(r);
      org.apache.spark.sql.types.MapType mapType = (org.apache.spark.sql.types.MapType) sparkType;
      Map<Object, Object> entries = new LinkedHashMap<>();
      for (int i = 0; i < map.getSize(); i++) {
        entries.put(
            toSpark(map.getKeys(), i, mapType.keyType()),
            toSpark(map.getValues(), i, mapType.valueType()));
      }
      return scala.collection.immutable.Map$.MODULE$.from(
          scala.jdk.javaapi.CollectionConverters.asScala(entries));
    } else if (type instanceof StructType struct) {
      org.apache.spark.sql.types.StructType sparkStruct =
          (org.apache.spark.sql.types.StructType) sparkType;
      Object[] values = new Object[sparkStruct.fields().length];
      for (int i = 0; i < values.length; i++) {
        ColumnVector child = column.getChild(struct.indexOf(sparkStruct.fields()[i].name()));
        values[i] = toSpark(child, r, sparkStruct.fields()[i].dataType());
      }
      return SchemaRows.create(values, sparkStruct);
    }
    throw new IllegalArgumentException("Sluice cannot read a Delta column of type " + type);
  }

  /** A Kernel batch over columns of Java values. */
  private record Batch(StructType schema, List<ColumnVector> columns, int size)
      implements ColumnarBatch {
    @Override
    public StructType getSchema() {
      return schema;
    }

    @Override
    public ColumnVector getColumnVector(int ordinal) {
      return columns.get(ordinal);
    }

    @Override
    public int getSize() {
      return size;
    }
  }

  /**
   * A Kernel column over the values of Spark's external rows: Java boxed values, {@link Timestamp}
   * or {@link Instant}, {@link Date} or {@link LocalDate}, Scala or Java lists and maps, and rows.
   */
  private static final class Values implements ColumnVector {
    private final DataType type;
    private final List<?> values;

    Values(DataType type, List<?> values) {
      this.type = type;
      this.values = values;
    }

    @Override
    public DataType getDataType() {
      return type;
    }

    @Override
    public int getSize() {
      return values.size();
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int r) {
      return values.get(r) == null;
    }

    @Override
    public boolean getBoolean(int r) {
      return (Boolean) values.get(r);
    }

    @Override
    public byte getByte(int r) {
      return ((Number) values.get(r)).byteValue();
    }

    @Override
    public short getShort(int r) {
      return ((Number) values.get(r)).shortValue();
    }

    @Override
    public int getInt(int r) {
      Object value = values.get(r);
      if (type instanceof DateType) {
        LocalDate date = value instanceof Date d ? d.toLocalDate() : (LocalDate) value;
        return (int) date.toEpochDay();
      }
      return ((Number) value).intValue();
    }

    @Override
    public long getLong(int r) {
      Object value = values.get(r);
      if (type instanceof TimestampType) {
        Instant instant = value instanceof Timestamp t ? t.toInstant() : (Instant) value;
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
      }
      if (type instanceof TimestampNTZType) {
        return ChronoUnit.MICROS.between(
            LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC), (LocalDateTime) value);
      }
      return ((Number) value).longValue();
    }

    @Override
    public float getFloat(int r) {
      return ((Number) values.get(r)).floatValue();
    }

    @Override
    public double getDouble(int r) {
      return ((Number) values.get(r)).doubleValue();
    }

    @Override
    public byte[] getBinary(int r) {
      return (byte[]) values.get(r);
    }

    @Override
    public String getString(int r) {
      return (String) values.get(r);
    }

    @Override
    public BigDecimal getDecimal(int r) {
      Object value = values.get(r);
      return value instanceof scala.math.BigDecimal d ? d.bigDecimal() : (BigDecimal) value;
    }

    @Override
    public ArrayValue getArray(int r) {
      List<?> elements = list(values.get(r));
      Values vector = new Values(((ArrayType) type).getElementType(), elements);
      return new ArrayValue() {
        @Override
        public int getSize() {
          return elements.size();
        }

        @Override
        public ColumnVector getElements() {
          return vector;
        }
      };
    }

    @Override
    public MapValue getMap(int r) {
      Map<?, ?> map = map(values.get(r));
      MapType mapType = (MapType) type;
      Values keys = new Values(mapType.getKeyType(), new ArrayList<>(map.keySet()));
      Values mapValues = new Values(mapType.getValueType(), new ArrayList<>(map.values()));
      return new MapValue() {
        @Override
        public int getSize() {
          return map.size();
        }

        @Override
        public ColumnVector getKeys() {
          return keys;
        }

        @Override
        public ColumnVector getValues() {
          return mapValues;
        }
      };
    }

    @Override
    public ColumnVector getChild(int ordinal) {
      StructField field = ((StructType) type).at(ordinal);
      List<Object> children = new ArrayList<>(values.size());
      for (Object value : values) {
        Row row = (Row) value;
        // A nested row has the struct's field order (the table's schema is the spec's).
        children.add(row == null ? null : row.get(ordinal));
      }
      return new Values(field.getDataType(), children);
    }

    private static List<?> list(Object value) {
      if (value instanceof List<?> list) {
        return list;
      }
      if (value instanceof scala.collection.Seq<?> seq) {
        return scala.jdk.javaapi.CollectionConverters.asJava(seq);
      }
      if (value instanceof Object[] array) {
        return java.util.Arrays.asList(array);
      }
      if (value instanceof double[] array) {
        return java.util.Arrays.stream(array).boxed().toList();
      }
      throw new IllegalArgumentException("Not an array value: " + value.getClass().getName());
    }

    private static Map<?, ?> map(Object value) {
      if (value instanceof Map<?, ?> map) {
        return map;
      }
      if (value instanceof scala.collection.Map<?, ?> map) {
        return scala.jdk.javaapi.CollectionConverters.asJava(map);
      }
      throw new IllegalArgumentException("Not a map value: " + value.getClass().getName());
    }
  }
}
