package dev.sluice.common.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.lakehouse.TableSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every table family declares what the definitions before the table classes declared: name,
 * comment, columns (name, type, nullability, comment), partition columns and properties. The
 * expectations were written from those definitions ({@code ModelTables} and {@code SharedTables} as
 * they were) before they moved, so a data engineer's SQL keeps working. A table added since is
 * pinned the same way in {@code tables-added.json}.
 */
class TableSpecsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNode BEFORE = read("tables-before-typed.json");
  private static final JsonNode ADDED = read("tables-added.json");

  static Stream<TableSpec> families() {
    return Stream.of(
        QuarantineTable.SPEC,
        DataProfilesTable.SPEC,
        JobRunsTable.SPEC,
        CvResultsTable.SPEC,
        ModelMetricsTable.SPEC,
        ModelRegistryTable.SPEC,
        AliasLogTable.SPEC,
        PromotionLogTable.SPEC,
        PredictionsTable.SPEC,
        ReproducibilityChecksTable.SPEC,
        ModelBaselinesTable.SPEC,
        DriftMetricsTable.SPEC,
        PerformanceMetricsTable.SPEC,
        FairnessMetricsTable.SPEC,
        RetrainDecisionsTable.SPEC,
        FeatureImportanceTable.SPEC);
  }

  @Test
  void everyTableDeclaredBeforeOrAddedSinceHasOneFamilyAndNoFamilyIsUnpinned() {
    List<String> pinned = new ArrayList<>();
    BEFORE.get("tables").forEach(table -> pinned.add(table.get("name").asText()));
    ADDED.get("tables").forEach(table -> pinned.add(table.get("name").asText()));
    assertThat(families().map(TableSpec::name)).containsExactlyInAnyOrderElementsOf(pinned);
  }

  /** The first ingest creates every family: the list it creates them from names each once. */
  @Test
  void theSharedTablesAreEveryFamilyOnce() {
    assertThat(LakehouseTables.SHARED).containsExactlyInAnyOrderElementsOf(families().toList());
  }

  @ParameterizedTest
  @MethodSource("families")
  void aFamilyDeclaresWhatItDidBefore(TableSpec spec) throws IOException {
    JsonNode expected = before(spec.name());
    assertThat(spec.comment()).isEqualTo(expected.get("comment").asText());
    assertThat(MAPPER.readTree(spec.schema().json())).isEqualTo(expected.get("schema"));
    // The same through Spark's own reading of the JSON: types, nullability and comments.
    assertThat(spec.schema()).isEqualTo(DataType.fromJson(expected.get("schema").toString()));
    assertThat(spec.partitionColumns())
        .containsExactlyElementsOf(texts(expected.get("partitionColumns")));
    Map<String, String> properties = new LinkedHashMap<>();
    expected
        .get("properties")
        .fields()
        .forEachRemaining(p -> properties.put(p.getKey(), p.getValue().asText()));
    assertThat(spec.properties()).isEqualTo(properties);
  }

  @Test
  void theTableNamesAndLineageColumnsAreTheOnesBefore() throws IOException {
    JsonNode constants = BEFORE.get("constants");
    assertThat(PredictionsTable.STATS_COLUMNS)
        .containsExactlyElementsOf(texts(constants.get("ModelTables.PREDICTION_STATS_COLUMNS")));
    assertThat(DriftMetricsTable.REFERENCE_BASELINE)
        .isEqualTo(constants.get("ModelTables.REFERENCE_BASELINE").asText());
    assertThat(DriftMetricsTable.REFERENCE_PREVIOUS_WINDOW)
        .isEqualTo(constants.get("ModelTables.REFERENCE_PREVIOUS_WINDOW").asText());
    // dataset, then the lineage in the order of SharedTables' fields: row_id came last.
    List<StructField> shared = new ArrayList<>();
    shared.add(QuarantineTable.SCHEMA.apply(QuarantineTable.DATASET));
    for (String column :
        List.of(
            RawTable.BATCH_ID,
            RawTable.SOURCE,
            RawTable.SOURCE_FILE,
            RawTable.LINE_NUMBER,
            RawTable.INGESTED_AT,
            RawTable.ROW_ID)) {
      shared.add(RawTable.LINEAGE.apply(column));
    }
    StructType expected =
        (StructType)
            DataType.fromJson(
                "{\"type\":\"struct\",\"fields\":"
                    + constants.get("SharedTables lineage fields")
                    + "}");
    assertThat(new StructType(shared.toArray(StructField[]::new))).isEqualTo(expected);
    assertThat(RawTable.LINEAGE_COLUMNS)
        .containsExactly(
            "row_id", "batch_id", "source", "source_file", "line_number", "ingested_at");
    assertThat(Columns.LINEAGE).isEqualTo(RawTable.LINEAGE_COLUMNS);
    assertThat(List.of(Columns.DATASET, Columns.RAW_LINE, Columns.REASONS))
        .containsExactly("dataset", "raw_line", "reasons");
    assertThat(Tables.raw("d")).isEqualTo("d_raw");
  }

  /** Every family's name has its constant in {@code Tables}. */
  @Test
  void everyFamilysNameIsATablesConstant() {
    for (TableSpec spec : families().toList()) {
      assertThat(Tables.class.getDeclaredFields())
          .as(spec.name())
          .anySatisfy(field -> assertThat(field.get(null)).isEqualTo(spec.name()));
    }
  }

  @Test
  void aRowIsBuiltByNameInTheSchemasOrder() {
    assertThat(
            Rows.builder(Check.SCHEMA)
                .set(Check.DETAIL, "d")
                .set(Check.PASSED, true)
                .set(Check.THRESHOLD, 2.0)
                .set(Check.VALUE, 1.0)
                .set(Check.NAME, "n")
                .build())
        .isEqualTo(RowFactory.create("n", 1.0, 2.0, true, "d"));
  }

  @Test
  void aRowBuilderRefusesAnUnknownColumnOneSetTwiceOrNeverAndANullWhereNoneMayBe() {
    assertThatThrownBy(() -> Rows.builder(AliasLogTable.SCHEMA).set("aliases", "champion"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("No column aliases among [model_name, alias, version");
    assertThatThrownBy(
            () ->
                Rows.builder(AliasLogTable.SCHEMA)
                    .set(AliasLogTable.ALIAS, "champion")
                    .set(AliasLogTable.ALIAS, "challenger"))
        .hasMessage("Column alias is set twice");
    assertThatThrownBy(
            () -> Rows.builder(Check.SCHEMA).set(Check.NAME, "n").set(Check.VALUE, 1.0).build())
        .hasMessage("Column threshold is not set");
    assertThatThrownBy(
            () ->
                Rows.builder(RetrainDecisionsTable.SCHEMA)
                    .set(RetrainDecisionsTable.DECIDED_AT, java.time.Instant.EPOCH)
                    .set(RetrainDecisionsTable.RUN_ID, "r")
                    .set(RetrainDecisionsTable.MODEL_NAME, java.util.Optional.empty())
                    .set(RetrainDecisionsTable.CHAMPION_VERSION, 1L)
                    .set(RetrainDecisionsTable.MODE, "enabled")
                    .set(RetrainDecisionsTable.RULES, List.of())
                    .set(RetrainDecisionsTable.DECISION, "RETRAIN")
                    .set(RetrainDecisionsTable.REASON, "why")
                    .build())
        .hasMessage("Column model_name is not nullable");
  }

  private static JsonNode before(String table) {
    for (JsonNode pinned : List.of(BEFORE, ADDED)) {
      for (JsonNode node : pinned.get("tables")) {
        if (node.get("name").asText().equals(table)) {
          return node;
        }
      }
    }
    throw new AssertionError("no expectation for " + table);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static JsonNode read(String resource) {
    try (InputStream in = TableSpecsTest.class.getResourceAsStream(resource)) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
