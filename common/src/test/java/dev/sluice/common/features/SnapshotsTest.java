package dev.sluice.common.features;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SnapshotsTest extends SparkTestBase {
  private final SplitSpec hashed = new SplitSpec(SplitSpec.Method.HASH, 7, 0.7, 0.2, 0.1, Map.of());

  private Dataset<Row> ids(long from, long to) {
    return spark.range(from, to).selectExpr("concat('row-', id) AS row_id", "'train' AS source");
  }

  @Test
  void positiveClassIsIndexOneAndSuffixesAreStripped() {
    DatasetSpec spec = DatasetSpecReader.read(TestSpecs.load(TestSpecs.TINY).config());
    assertThat(Snapshots.classIndex(spec)).containsExactly("<=50K", ">50K");
    Dataset<Row> raw =
        spark.sql("SELECT * FROM VALUES ('<=50K'), ('>50K.'), (' >50K') AS t(income)");
    assertThat(
            Snapshots.withTarget(raw, spec)
                .select(Columns.TARGET_CLASS, Columns.TARGET)
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[<=50K,0.0]", "[>50K,1.0]", "[>50K,1.0]");
  }

  @Test
  void fractionsHoldOnTenThousandRows() {
    Map<String, Long> counts = counts(Snapshots.withSplit(ids(0, 10_000), hashed));
    assertThat(counts.get("train") / 10_000.0).isCloseTo(0.7, within(0.02));
    assertThat(counts.get("validation") / 10_000.0).isCloseTo(0.2, within(0.02));
    assertThat(counts.get("test") / 10_000.0).isCloseTo(0.1, within(0.02));
  }

  @Test
  void aRowKeepsItsSplitAcrossRerunsAndAppends() {
    List<Row> first = Snapshots.withSplit(ids(0, 1_000), hashed).orderBy("row_id").collectAsList();
    List<Row> again = Snapshots.withSplit(ids(0, 1_000), hashed).orderBy("row_id").collectAsList();
    List<Row> appended =
        Snapshots.withSplit(ids(0, 1_000).union(ids(1_000, 5_000)), hashed)
            .where(
                col("row_id")
                    .isin(ids(0, 1_000).collectAsList().stream().map(r -> r.get(0)).toArray()))
            .orderBy("row_id")
            .collectAsList();
    assertThat(again).isEqualTo(first);
    assertThat(appended).isEqualTo(first);
    List<Row> otherSeed =
        Snapshots.withSplit(
                ids(0, 1_000), new SplitSpec(SplitSpec.Method.HASH, 8, 0.7, 0.2, 0.1, Map.of()))
            .orderBy("row_id")
            .collectAsList();
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void bySourceSendsMappedSourcesToTheirSplit() {
    SplitSpec bySource =
        new SplitSpec(SplitSpec.Method.SOURCE, 7, 0.8, 0.2, 0.0, Map.of("holdout", "test"));
    Dataset<Row> rows =
        ids(0, 2_000)
            .selectExpr(
                "row_id", "CASE WHEN row_id < 'row-5' THEN 'holdout' ELSE 'train' END AS source");
    Dataset<Row> split = Snapshots.withSplit(rows, bySource);
    assertThat(split.where("source = 'holdout' AND split <> 'test'").count()).isZero();
    assertThat(split.where("source = 'train' AND split = 'test'").count()).isZero();
    assertThat(split.where("source = 'train' AND split = 'validation'").count()).isPositive();
  }

  private static Map<String, Long> counts(Dataset<Row> split) {
    Map<String, Long> counts = new java.util.HashMap<>();
    split
        .groupBy(Columns.SPLIT)
        .count()
        .collectAsList()
        .forEach(r -> counts.put(r.getString(0), r.getLong(1)));
    return counts;
  }
}
