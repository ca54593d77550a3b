package dev.sluice.common.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * A row's values to compare with {@code equals}: arrays (which a row's {@code equals} compares by
 * reference) and Scala sequences become lists, Scala maps Java maps, nested rows their values.
 * Java's {@code equals} also tells a Long from an Integer, which a row's does not.
 */
public final class RowValues {
  private RowValues() {}

  public static List<Object> of(Row row) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.length(); i++) {
      values.add(value(row.get(i)));
    }
    return values;
  }

  private static Object value(Object value) {
    if (value instanceof Object[] array) {
      return list(Arrays.asList(array));
    }
    if (value instanceof List<?> list) {
      return list(list);
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      return list(scala.jdk.javaapi.CollectionConverters.asJava(seq));
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      return map(scala.jdk.javaapi.CollectionConverters.asJava(map));
    }
    if (value instanceof Map<?, ?> map) {
      return map(map);
    }
    if (value instanceof Row row) {
      return of(row);
    }
    return value;
  }

  private static Map<Object, Object> map(Map<?, ?> entries) {
    Map<Object, Object> values = new LinkedHashMap<>();
    entries.forEach((key, value) -> values.put(value(key), value(value)));
    return values;
  }

  private static List<Object> list(List<?> elements) {
    List<Object> values = new ArrayList<>();
    for (Object element : elements) {
      values.add(value(element));
    }
    return values;
  }
}
