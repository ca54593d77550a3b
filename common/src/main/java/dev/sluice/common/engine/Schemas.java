package dev.sluice.common.engine;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/** Comparisons and rewrites of Spark schemas and names that the jobs' SQL and write paths share. */
public final class Schemas {
  private Schemas() {}

  /** A column or table name as a SQL identifier in back-quotes, any back-quote in it doubled. */
  public static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** Same column names, in any order, with the same types once nullability is set aside. */
  public static boolean sameColumns(StructType rows, StructType table) {
    if (rows.fields().length != table.fields().length) {
      return false;
    }
    StructType nullableTable = nullable(table);
    for (StructField field : nullable(rows).fields()) {
      Option<Object> index = nullableTable.getFieldIndex(field.name());
      if (index.isEmpty()
          || !nullableTable.fields()[(Integer) index.get()].dataType().equals(field.dataType())) {
        return false;
      }
    }
    return true;
  }

  /** The schema with every column, element and value allowed to be null. */
  public static StructType nullable(StructType schema) {
    return (StructType) nullable((DataType) schema);
  }

  private static DataType nullable(DataType type) {
    if (type instanceof StructType struct) {
      StructField[] fields = struct.fields().clone();
      for (int i = 0; i < fields.length; i++) {
        fields[i] =
            new StructField(
                fields[i].name(), nullable(fields[i].dataType()), true, fields[i].metadata());
      }
      return new StructType(fields);
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(nullable(array.elementType()), true);
    }
    if (type instanceof MapType map) {
      return new MapType(map.keyType(), nullable(map.valueType()), true);
    }
    return type;
  }
}
