package dev.sluice.common.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of a JSON line, in the spec's column order, as text: a missing key or a JSON null is
 * an empty field (a null token by default). A line that is not one object, or has a key the spec
 * does not declare, gives empty: a key nobody declared is schema drift, not data to drop silently.
 */
final class JsonFields {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFields() {}

  static Optional<List<String>> of(String line, List<String> columns) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    Set<String> declared = Set.copyOf(columns);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      if (!declared.contains(names.next())) {
        return Optional.empty();
      }
    }
    List<String> fields = new ArrayList<>(columns.size());
    for (String column : columns) {
      JsonNode value = node.get(column);
      fields.add(
          value == null || value.isNull()
              ? ""
              : value.isTextual() ? value.asText() : value.toString());
    }
    return Optional.of(fields);
  }
}
