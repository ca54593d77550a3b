package dev.sluice.common.parse;

import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.quality.ColumnProfiles;
import dev.sluice.common.quality.ProfileAccumulator;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.table.QuarantineTable;
import dev.sluice.common.table.RawTable;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sluice DataSource V2 source, on tiny files whose every row is known. */
class ParseSourceTest extends SparkTestBase {
  /** Two cores, splits of about 7 bytes: most splits start and end inside a line. */
  private static final SourceLines.SplitSizing TINY_SPLITS = new SourceLines.SplitSizing(2, 7, 1);

  private static final DatasetSpec SPEC =
      DatasetSpecReader.read(
          TestSpecs.load(
                  """
                  sluice.dataset {
                    name = parsed
                    csv { delimiter = ",", header = true }
                    comment-prefixes = ["#"]
                    null-tokens = [""]
                    sources { train = [] }
                    task = binary
                    label { classes = ["no", "yes"], positive-class = "yes" }
                    columns = [
                      { name = n, role = numeric, type = int, min = 0, max = 99 }
                      { name = c, role = categorical, values = ["a", "b"] }
                      { name = y, role = label }
                    ]
                  }
                  """)
              .config());

  private static final Timestamp INGESTED_AT =
      Timestamp.from(Instant.parse("2026-12-01T00:00:00Z"));

  @TempDir Path dir;

  @Test
  void splitsCutMidLineReadEveryLineOnceIntoExactAcceptedAndQuarantinedRows() throws Exception {
    // Line 1 is the header; 2 and 6 are accepted; 3, 7 and 8 (no line end) are quarantined; 4 is
    // blank and 5 a comment.
    Files.writeString(
        dir.resolve("plain.csv"), "n,c,y\n1,a,yes\n2,z,no\n\n#note\n3,b,no\nx,a,yes\n4,a");
    // Lines end at "\r\n": the header, 2 accepted, 3 quarantined.
    Files.writeString(dir.resolve("crlf.csv"), "n,c,y\r\n5,b,yes\r\n6,a,maybe\r\n");
    BatchFiles files =
        BatchFiles.resolve(
            SPEC.name(),
            "train",
            List.of(dir.resolve("*.csv").toString()),
            new Configuration(),
            TINY_SPLITS);
    String crlf = files.paths().get(0);
    String plain = files.paths().get(1);
    assertThat(files.lineIndexes()).containsOnlyKeys(crlf, plain);
    SourceLines.Read lines =
        SourceLines.read(spark, files.paths(), files.lineIndexes(), files.readConfiguration());
    assertThat(lines.lineCount()).isEqualTo(11);
    assertThat(lines.splits()).hasSizeGreaterThan(10);
    BatchParser.Batch batch =
        new BatchParser.Batch(files.batchId(), "train", INGESTED_AT, files.fileKeys());
    BatchParser parser = new BatchParser(SPEC);
    LineKindCounts counts = LineKindCounts.register(spark.sparkContext(), "parsed");
    ProfileAccumulator profiles =
        ProfileAccumulator.register(spark.sparkContext(), ColumnProfiles.Layout.of(SPEC, 0.01, 10));

    Dataset<Row> accepted = parser.accepted(spark, lines, batch, counts, profiles);
    Dataset<Row> quarantined = parser.quarantined(spark, lines, batch);

    assertThat(accepted.schema()).isEqualTo(parser.rawSchema());
    assertThat(accepted.javaRDD().getNumPartitions()).isEqualTo(lines.splits().size());
    assertThat(accepted.collectAsList())
        .containsExactlyInAnyOrder(
            raw(1, "a", "yes", files, plain, 2),
            raw(3, "b", "no", files, plain, 6),
            raw(5, "b", "yes", files, crlf, 2));
    assertThat(counts.value())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                LineKind.ACCEPTED, 3L,
                LineKind.QUARANTINED, 4L,
                LineKind.BLANK, 1L,
                LineKind.COMMENT, 1L,
                LineKind.HEADER, 2L));
    assertThat(profiles.value().rows()).isEqualTo(3);

    // The batch's shared columns are literals: their types, without the table's comments.
    assertThat(shape(quarantined.schema())).isEqualTo(shape(QuarantineTable.SCHEMA));
    assertThat(quarantined.collectAsList())
        .containsExactlyInAnyOrder(
            quarantine(files, plain, 3, "2,z,no", Reasons.unknownValue("c")),
            quarantine(files, plain, 7, "x,a,yes", Reasons.typeMismatch("n")),
            quarantine(files, plain, 8, "4,a", Reasons.FIELD_COUNT),
            quarantine(files, crlf, 3, "6,a,maybe", Reasons.UNKNOWN_LABEL));
  }

  @Test
  void aGzipFileIsOneSplitNumberedByASparkPass() throws Exception {
    Path gz = dir.resolve("batch.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("n,c,y\n7,a,no\n100,a,no\n".getBytes(StandardCharsets.UTF_8));
    }
    BatchFiles files =
        BatchFiles.resolve(
            SPEC.name(), "train", List.of(gz.toString()), new Configuration(), TINY_SPLITS);
    String path = files.paths().get(0);
    assertThat(files.lineIndexes()).isEmpty();
    SourceLines.Read lines =
        SourceLines.read(spark, files.paths(), files.lineIndexes(), files.readConfiguration());
    assertThat(lines.splits()).hasSize(1);
    assertThat(lines.lineCount()).isEqualTo(3);
    BatchParser.Batch batch =
        new BatchParser.Batch(files.batchId(), "train", INGESTED_AT, files.fileKeys());
    BatchParser parser = new BatchParser(SPEC);

    assertThat(parser.accepted(spark, lines, batch).collectAsList())
        .containsExactly(raw(7, "a", "no", files, path, 2));
    assertThat(parser.quarantined(spark, lines, batch).collectAsList())
        .containsExactly(quarantine(files, path, 3, "100,a,no", Reasons.outOfRange("n")));
  }

  @Test
  void datesAndTimestampsReadAsTheNumbersCreateDataFrameMakesOfTheParsedValuesInEveryZone()
      throws Exception {
    // Today, a daylight saving overlap and gap (Los Angeles), a day before the zone's standard time
    // (local mean time), the Gregorian switch and its missing days, Julian dates and a Julian leap
    // day, the epoch's edges, the calendar's ends; offsets, "Z" and local times.
    List<String> dates =
        List.of(
            "2024-02-29",
            "1970-01-01",
            "1969-12-31",
            "1883-11-18",
            "1800-06-01",
            "1582-10-15",
            "1582-10-10",
            "1582-10-04",
            "1500-03-01",
            "1000-02-28",
            "0001-01-01",
            "9999-12-31");
    List<String> timestamps =
        List.of(
            "2026-11-01 01:30:00",
            "2026-11-01T08:30:00Z",
            "2026-11-01T09:30:00Z",
            "2026-03-08 02:30:00",
            "2024-02-29T23:59:59+05:30",
            "1969-12-31T23:59:59.999999Z",
            "1883-11-18 12:00:00",
            "1800-01-01T00:00:00Z",
            "1582-10-10T00:00:00Z",
            "1500-01-01 00:00:00",
            "1000-03-06T12:00:00.123456Z",
            "0001-01-03T00:00:00Z");
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < dates.size(); i++) {
      content.append(i).append(',').append(dates.get(i)).append(',');
      content.append(timestamps.get(i)).append(",yes\n");
    }
    Path file = dir.resolve("typed.csv");
    Files.writeString(file, content.toString());
    String path = new org.apache.hadoop.fs.Path(file.toUri()).toString();
    DatasetSpec typed =
        DatasetSpecReader.read(
            TestSpecs.load(
                    """
                    sluice.dataset {
                      name = typed
                      sources { train = [] }
                      task = binary
                      label { classes = ["no", "yes"], positive-class = "yes" }
                      columns = [
                        { name = i, role = numeric, type = long }
                        { name = day, role = ignore, type = date }
                        { name = at, role = timestamp, type = timestamp }
                        { name = y, role = label }
                      ]
                    }
                    """)
                .config());
    BatchParser parser = new BatchParser(typed);
    BatchParser.Batch batch = new BatchParser.Batch("b1", "train", INGESTED_AT, Map.of(path, "f1"));
    StructType external =
        new StructType()
            .add("i", DataTypes.LongType)
            .add("day", DataTypes.DateType)
            .add("at", DataTypes.TimestampType)
            .add(RawTable.INGESTED_AT, DataTypes.TimestampType);

    TimeZone original = TimeZone.getDefault();
    try {
      for (String zone :
          List.of(
              "UTC",
              "America/Los_Angeles",
              "Asia/Kolkata",
              "Europe/Amsterdam",
              "Australia/Lord_Howe")) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        List<Row> values = new ArrayList<>();
        for (int i = 0; i < dates.size(); i++) {
          values.add(
              RowFactory.create(
                  (long) i,
                  LineParser.typed(ValueType.DATE, dates.get(i)),
                  LineParser.typed(ValueType.TIMESTAMP, timestamps.get(i)),
                  INGESTED_AT));
        }
        Dataset<Row> read = parser.accepted(spark, SourceLines.read(spark, List.of(path)), batch);
        Dataset<Row> created = spark.createDataFrame(values, external);

        assertThat(numbers(read))
            .as("in time zone %s", zone)
            .hasSize(dates.size())
            .containsExactlyElementsOf(numbers(created));
      }
    } finally {
      TimeZone.setDefault(original);
    }
    // Known answers, in UTC: a date's fields are kept, whatever the calendar.
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    try {
      List<Row> known =
          numbers(parser.accepted(spark, SourceLines.read(spark, List.of(path)), batch));
      assertThat(known.get(1).getLong(1)).isZero();
      assertThat(known.get(2).getLong(1)).isEqualTo(-1);
      assertThat(known.get(8).getLong(1)).isEqualTo(LocalDate.of(1500, 3, 1).toEpochDay());
      assertThat(known.get(5).getLong(2)).isEqualTo(-1);
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void theSourceReadsOnlyAParseUnderWay() {
    assertThatThrownBy(
            () ->
                spark
                    .read()
                    .format(ParseSource.NAME)
                    .option(ParseSource.PARSE_OPTION, "none")
                    .load())
        .hasMessageStartingWith("Cannot read the sluice source: option parse='none'");
  }

  /** Each column's name, type and nullability. */
  private static List<String> shape(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(field -> field.name() + " " + field.dataType().sql() + " " + field.nullable())
        .toList();
  }

  /** The index, the date's days and the timestamp's microseconds, as Spark holds them, by index. */
  private static List<Row> numbers(Dataset<Row> rows) {
    return rows.select(
            expr("i"),
            expr("cast(unix_date(day) as long)"),
            expr("unix_micros(at)"),
            expr("unix_micros(" + RawTable.INGESTED_AT + ")"))
        .orderBy("i")
        .collectAsList();
  }

  private static Row raw(int n, String c, String y, BatchFiles files, String file, long line) {
    return RowFactory.create(
        n,
        c,
        y,
        files.fileKeys().get(file) + "-" + line,
        files.batchId(),
        "train",
        file,
        line,
        INGESTED_AT);
  }

  private static Row quarantine(
      BatchFiles files, String file, long line, String text, String reason) {
    return RowFactory.create(
        SPEC.name(),
        files.batchId(),
        "train",
        file,
        line,
        text,
        scala.jdk.javaapi.CollectionConverters.asScala(List.of(reason)).toSeq(),
        INGESTED_AT);
  }
}
