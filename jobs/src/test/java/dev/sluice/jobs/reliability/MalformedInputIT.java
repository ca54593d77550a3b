package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1: a batch with 1% of its rows broken in each of five ways. Pass: accepted + quarantined
 * + skipped = lines read; every bad line is in quarantine with its reason; the raw table holds
 * exactly the good rows (count and content hash).
 */
class MalformedInputIT extends SparkTestBase {
  private static final int ROWS = 3000;

  /** Every 100th row is broken, each kind once per 500 rows: 1% of rows per kind, 5% in all. */
  private static final int EVERY = 100;

  private static final List<String> KINDS =
      List.of(
          "FIELD_COUNT",
          "TYPE_MISMATCH:hours",
          "UNKNOWN_VALUE:sex",
          "MISSING_LABEL",
          "BAD_QUOTING");

  @TempDir Path dir;

  private static String good(int i) {
    return String.join(
        ", ",
        Integer.toString(18 + i % 60),
        "wc" + i % 7,
        (i % 50) + ".5",
        i % 2 == 0 ? "Male" : "Female",
        i % 3 == 0 ? ">50K" : "<=50K");
  }

  private static String bad(int i, String kind) {
    String age = Integer.toString(18 + i % 60);
    return switch (kind) {
      case "FIELD_COUNT" -> age + ", wc1, 40.5, Male";
      case "TYPE_MISMATCH:hours" -> age + ", wc1, forty, Male, <=50K";
      case "UNKNOWN_VALUE:sex" -> age + ", wc1, 40.5, Robot, <=50K";
      case "MISSING_LABEL" -> age + ", wc1, 40.5, Male, ";
      case "BAD_QUOTING" -> "\"" + age + ", wc1, 40.5, Male, <=50K";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @Test
  void everyLineIsAccountedForAndNoBadRowReachesTheRawTable() throws Exception {
    List<String> lines = new ArrayList<>();
    List<String> badLines = new ArrayList<>();
    List<Row> goodRows = new ArrayList<>();
    lines.add("|a junk first line");
    for (int i = 0; i < ROWS; i++) {
      if (i % EVERY == EVERY - 1) {
        String line = bad(i, KINDS.get((i / EVERY) % KINDS.size()));
        lines.add(line);
        badLines.add(line);
      } else {
        lines.add(good(i));
        goodRows.add(
            RowFactory.create(
                18 + i % 60,
                "wc" + i % 7,
                (i % 50) + 0.5,
                i % 2 == 0 ? "Male" : "Female",
                i % 3 == 0 ? ">50K" : "<=50K"));
      }
    }
    lines.add("");
    Path file = dir.resolve("batch.csv");
    Files.write(file, lines);

    IngestResult result =
        new IngestJob(
                spark,
                IngestSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY,
                        Map.of(
                            "sluice.lakehouse.root",
                            dir.resolve("lake").toString(),
                            "sluice.ingest.files",
                            "[\"" + file + "\"]",
                            "sluice.ingest.quarantine.max-rate",
                            "0.1"))))
            .run();

    int badPerKind = ROWS / EVERY / KINDS.size();
    assertThat(result.linesRead()).isEqualTo(ROWS + 2);
    assertThat(result.accepted()).isEqualTo(goodRows.size()).isEqualTo(ROWS - ROWS / EVERY);
    assertThat(result.quarantined()).isEqualTo(badLines.size());
    assertThat(result.skipped()).containsOnly(Map.entry("BLANK", 1L), Map.entry("COMMENT", 1L));
    assertThat(result.accepted() + result.quarantined() + result.skippedTotal())
        .isEqualTo(result.linesRead());
    assertThat(result.reasons())
        .containsOnlyKeys(KINDS)
        .allSatisfy((reason, count) -> assertThat(count).as(reason).isEqualTo(badPerKind));

    Dataset<Row> quarantine = spark.read().format("delta").load(dir + "/lake/quarantine");
    assertThat(quarantine.where("size(reasons) = 0 OR reasons IS NULL").count()).isZero();
    Dataset<Row> expectedBad =
        spark.createDataset(badLines, org.apache.spark.sql.Encoders.STRING()).toDF("raw_line");
    assertThat(Fingerprint.of(quarantine, "raw_line"))
        .isEqualTo(Fingerprint.of(expectedBad, "raw_line"));

    StructType schema =
        new StructType()
            .add("age", DataTypes.IntegerType)
            .add("workclass", DataTypes.StringType)
            .add("hours", DataTypes.DoubleType)
            .add("sex", DataTypes.StringType)
            .add("income", DataTypes.StringType);
    String[] columns = schema.fieldNames();
    Dataset<Row> raw = spark.read().format("delta").load(dir + "/lake/tiny_raw");
    assertThat(Fingerprint.of(raw, columns))
        .isEqualTo(Fingerprint.of(spark.createDataFrame(goodRows, schema), columns));
  }
}
