package dev.sluice.common.monitor;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.common.table.PredictionsTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A scoring window: the rows one scoring run of a model version appended to {@code predictions},
 * named by the run's id ({@code scoring_run_id}), with the input they were scored from and when.
 *
 * <p>Score records each window in the table's own transactions, in the commit that appends its
 * rows: next to the scoring key that makes the append idempotent ({@link #scoringKey}), a
 * transaction whose writer id describes the window ({@link #marks}). Monitor then lists a model
 * version's windows from the table's transactions ({@link #fromTransactions}), which the checksum
 * file holds, without reading a prediction; Delta keeps them through checkpoints and log cleanup.
 * When the two kinds of transactions do not pair up (predictions scored before windows were
 * recorded, or by another writer), the rows are grouped instead ({@link #fromPredictions}).
 */
public record ScoringWindow(String id, String inputTable, long inputVersion, Timestamp scoredAt) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public ScoringWindow {
    requireNonNull(id, "id is null");
    requireNonNull(inputTable, "inputTable is null");
    requireNonNull(scoredAt, "scoredAt is null");
  }

  /**
   * The writer id of a scoring: one per model version, input table and version, and filter, so
   * scoring the same input twice appends its rows once.
   */
  public static String scoringKey(
      String model, long version, String inputTable, long inputVersion, String filter) {
    return scoringPrefix(model, version) + inputTable + "@" + inputVersion + "/" + filter;
  }

  private static String scoringPrefix(String model, long version) {
    return "score/" + model + "/v" + version + "/";
  }

  private static String windowPrefix(String model, long version) {
    return "window/" + model + "/v" + version + "/";
  }

  /**
   * The transaction that records this window of {@code model} version {@code version} in the commit
   * of its rows: the writer id names the window, its version is the number of rows (-1 when
   * unknown).
   */
  public Map<String, Long> marks(String model, long version, long rows) {
    ObjectNode window = MAPPER.createObjectNode();
    window.put("id", id);
    window.put("input_table", inputTable);
    window.put("input_version", inputVersion);
    window.put("scored_at", scoredAt.toInstant().toString());
    return Map.of(windowPrefix(model, version) + window, rows);
  }

  /**
   * The windows of {@code model} version {@code version} with rows, in the order they were scored,
   * from the predictions table's transactions; empty when they cannot be listed from them: a
   * scoring key without its window (or the reverse) means some commits did not record their window,
   * and a window that does not parse was not recorded by Sluice.
   */
  public static Optional<List<ScoringWindow>> fromTransactions(
      Map<String, Long> transactions, String model, long version) {
    String scorings = scoringPrefix(model, version);
    String windows = windowPrefix(model, version);
    long keys = transactions.keySet().stream().filter(id -> id.startsWith(scorings)).count();
    Map<String, Long> marked = new LinkedHashMap<>();
    transactions.forEach(
        (id, rows) -> {
          if (id.startsWith(windows)) {
            marked.put(id.substring(windows.length()), rows);
          }
        });
    if (marked.size() != keys) {
      return Optional.empty();
    }
    List<ScoringWindow> listed = new ArrayList<>();
    for (var window : marked.entrySet()) {
      Optional<ScoringWindow> parsed = parse(window.getKey());
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      if (window.getValue() != 0) {
        listed.add(parsed.get());
      }
    }
    listed.sort(Comparator.comparing(ScoringWindow::scoredAt).thenComparing(ScoringWindow::id));
    return Optional.of(listed);
  }

  /** The window a transaction's writer id describes; empty when it is not one Sluice wrote. */
  private static Optional<ScoringWindow> parse(String json) {
    try {
      JsonNode window = MAPPER.readTree(json);
      JsonNode id = window.path("id");
      JsonNode inputTable = window.path("input_table");
      JsonNode inputVersion = window.path("input_version");
      JsonNode scoredAt = window.path("scored_at");
      if (!id.isTextual()
          || !inputTable.isTextual()
          || !inputVersion.canConvertToLong()
          || !scoredAt.isTextual()) {
        return Optional.empty();
      }
      return Optional.of(
          new ScoringWindow(
              id.asText(),
              inputTable.asText(),
              inputVersion.asLong(),
              Timestamp.from(Instant.parse(scoredAt.asText()))));
    } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The windows of {@code model} version {@code version} by grouping its rows of {@code
   * predictions}: a Spark job over every prediction of the version.
   */
  public static List<ScoringWindow> fromPredictions(
      Dataset<Row> predictions, String model, long version) {
    return predictions
        .where(
            col(PredictionsTable.MODEL_NAME)
                .equalTo(model)
                .and(col(PredictionsTable.MODEL_VERSION).equalTo(version)))
        .groupBy(
            PredictionsTable.SCORING_RUN_ID,
            PredictionsTable.INPUT_TABLE,
            PredictionsTable.INPUT_VERSION)
        .agg(min(PredictionsTable.SCORED_AT).as(PredictionsTable.SCORED_AT))
        .orderBy(PredictionsTable.SCORED_AT, PredictionsTable.SCORING_RUN_ID)
        .collectAsList()
        .stream()
        .map(
            row ->
                new ScoringWindow(
                    row.getString(0), row.getString(1), row.getLong(2), row.getTimestamp(3)))
        .toList();
  }
}
