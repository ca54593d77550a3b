package dev.sluice.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.Columns;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchParserTest extends SparkTestBase {
  @TempDir Path dir;

  private final BatchParser parser =
      new BatchParser(DatasetSpecReader.read(TestSpecs.load(TestSpecs.TINY).config()));

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
    // Splits of 40 bytes: the six lines are read by several tasks.
    Configuration small = new Configuration(spark.sparkContext().hadoopConfiguration());
    small.setLong("mapreduce.input.fileinputformat.split.maxsize", 40);
    SourceLines.Read lines =
        SourceLines.read(spark, List.of(file.toUri().toString()), Map.of(), small);
    assertThat(lines.splits()).hasSizeGreaterThan(2);
    BatchParser.Batch batch =
        new BatchParser.Batch(
            "b1",
            "train",
            Timestamp.valueOf("2026-11-30 00:00:00"),
            Map.of(file.toUri().toString(), "f1"));
    LineKindCounts counts = LineKindCounts.register(spark.sparkContext(), "test");
    Dataset<Row> accepted = parser.accepted(spark, lines, batch, counts, null);
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

  @Test
  void acceptedRowsHoldEveryValueTypeAndLineageColumnExactly() throws Exception {
    BatchParser typed =
        new BatchParser(
            DatasetSpecReader.read(
                TestSpecs.load(
                        """
                        sluice.dataset {
                          name = typed
                          csv { delimiter = "," }
                          null-tokens = [""]
                          sources { train = [] }
                          task = binary
                          label { classes = ["no", "yes"], positive-class = "yes" }
                          columns = [
                            { name = n, role = numeric, type = long }
                            { name = x, role = numeric, type = double }
                            { name = c, role = categorical }
                            { name = flag, role = ignore, type = boolean }
                            { name = day, role = ignore, type = date }
                            { name = at, role = timestamp, type = timestamp }
                            { name = y, role = label }
                          ]
                        }
                        """)
                    .config()));
    Path file = dir.resolve("typed.csv");
    Files.write(
        file,
        List.of(
            "12345678901,2.5,café,true,2026-11-30,2026-11-30T10:15:30Z,yes",
            "-7,-0.125,,FALSE,1999-01-01,2026-01-02 03:04:05,no",
            "oops,1,a,true,2026-11-30,2026-11-30T10:15:30Z,yes"));
    // Qualified as Hadoop names the file of a split ("file:/tmp/..."), as ingest keys it.
    String path = new org.apache.hadoop.fs.Path(file.toUri()).toString();
    Timestamp ingestedAt = Timestamp.from(java.time.Instant.parse("2026-12-01T00:00:00Z"));
    BatchParser.Batch batch = new BatchParser.Batch("b1", "train", ingestedAt, Map.of(path, "f1"));

    Dataset<Row> accepted = typed.accepted(spark, SourceLines.read(spark, List.of(path)), batch);

    assertThat(accepted.schema()).isEqualTo(typed.rawSchema());
    List<Row> rows = accepted.orderBy(Columns.LINE_NUMBER).collectAsList();
    assertThat(rows)
        .containsExactly(
            RowFactory.create(
                12345678901L,
                2.5,
                "café",
                true,
                java.sql.Date.valueOf("2026-11-30"),
                Timestamp.from(java.time.Instant.parse("2026-11-30T10:15:30Z")),
                "yes",
                "f1-1",
                "b1",
                "train",
                path,
                1L,
                ingestedAt),
            RowFactory.create(
                -7L,
                -0.125,
                null,
                false,
                java.sql.Date.valueOf("1999-01-01"),
                Timestamp.valueOf("2026-01-02 03:04:05"),
                "no",
                "f1-2",
                "b1",
                "train",
                path,
                2L,
                ingestedAt));
  }

  @Test
  void aRowIdIsTheFileKeyThenTheLineNumber() {
    byte[] prefix = "f1-".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(RawRows.rowId(prefix, 1).toString()).isEqualTo("f1-1");
    assertThat(RawRows.rowId(prefix, 9).toString()).isEqualTo("f1-9");
    assertThat(RawRows.rowId(prefix, 10).toString()).isEqualTo("f1-10");
    assertThat(RawRows.rowId(prefix, 1_000_000).toString()).isEqualTo("f1-1000000");
    assertThat(RawRows.rowId(prefix, Long.MAX_VALUE).toString()).isEqualTo("f1-" + Long.MAX_VALUE);
    assertThat(RawRows.rowId(prefix, 10).numBytes()).isEqualTo(5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawRows.rowId(prefix, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
