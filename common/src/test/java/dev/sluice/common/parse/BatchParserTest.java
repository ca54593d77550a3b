package dev.sluice.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchParserTest extends SparkTestBase {
  @TempDir Path dir;

  private final BatchParser parser =
      new BatchParser(DatasetSpec.from(TestSpecs.load(TestSpecs.TINY).config()));

  @Test
  void aCountedParseCountsEveryLineByKindOnTheWayOfTheActionThatConsumesIt() throws Exception {
    Path file = dir.resolve("batch.csv");
    Files.write(
        file,
        List.of(
            "39, State-gov, 40.5, Male, <=50K",
            "",
            "|junk",
            "50, Private, 13, Female, >50K.",
            "x, Private, 13, Female, >50K",
            "41, Private, 20, Male, <=50K"));
    SourceLines.Read lines = SourceLines.read(spark, List.of(file.toUri().toString()));
    BatchParser.Batch batch =
        new BatchParser.Batch(
            "b1",
            "train",
            Timestamp.valueOf("2026-11-30 00:00:00"),
            Map.of(file.toUri().toString(), "f1"));
    LineKindCounts counts = LineKindCounts.register(spark.sparkContext(), "test");
    Dataset<Row> accepted =
        parser.accepted(spark, lines.lines().repartition(3), batch, counts, null);
    assertThat(counts.value()).allSatisfy((kind, count) -> assertThat(count).isZero());

    assertThat(accepted.count()).isEqualTo(3);
    assertThat(counts.value())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                LineKind.ACCEPTED, 3L,
                LineKind.QUARANTINED, 1L,
                LineKind.BLANK, 1L,
                LineKind.COMMENT, 1L,
                LineKind.HEADER, 0L));
    // Every computation of the rows adds to the counts: read them after the one that consumes them.
    accepted.count();
    assertThat(counts.value()).containsEntry(LineKind.ACCEPTED, 6L);
  }
}
