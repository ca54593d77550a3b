package dev.sluice.common.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of a JSON line as text: a missing key or a JSON null is an empty field (a null token
 * by default), a string its text, any other value its JSON text.
 */
public final class JsonFields {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFields() {}

  /**
   * The fields in the order of {@code columns} (the columns' names in the file). A line that is not
   * one object, or has a key the spec does not declare, gives empty: a key nobody declared is
   * schema drift, not data to drop silently.
   */
  static Optional<List<String>> of(String line, List<String> columns) {
    Optional<Map<String, String>> object = byKey(line);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    Set<String> declared = Set.copyOf(columns);
    if (!declared.containsAll(object.get().keySet())) {
      return Optional.empty();
    }
    List<String> fields = new ArrayList<>(columns.size());
    for (String column : columns) {
      fields.add(object.get().getOrDefault(column, ""));
    }
    return Optional.of(fields);
  }

  /** Every key of a JSON line with its field, in the line's order; empty when it is no object. */
  public static Optional<Map<String, String>> byKey(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      JsonNode value = entry.getValue();
      fields.put(
          entry.getKey(),
          value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString());
    }
    return Optional.of(fields);
  }
}
