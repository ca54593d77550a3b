package dev.sluice.common.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

class SourceLinesTest extends SparkTestBase {
  private static final String MAX_SPLIT = "mapreduce.input.fileinputformat.split.maxsize";
  private static final String[] PIECES = {
    "a", "bc", "é", "Ċč", ",", " ", "\n", "\r", "\r\n", "\n\n"
  };

  @TempDir Path dir;

  @Test
  void countedBytesNumberLinesAsHadoopSplitsAndReadsThem() throws Exception {
    // Every kind of line end, with splits of 3 bytes that start inside "\r\n", right after a line
    // end and in the middle of a line: "a" "bc" "" "d" "e" and a last line with no end.
    List<String> files = new ArrayList<>();
    files.add(write("hand.csv", "a\r\nbc\n\rd\re\n\nf"));
    Map<String, List<String>> expected = new HashMap<>();
    expected.put(files.get(0), List.of("a", "bc", "", "d", "e", "", "f"));
    Random random = new Random(7);
    for (int f = 0; f < 6; f++) {
      StringBuilder content = new StringBuilder();
      int pieces = random.nextInt(40);
      for (int p = 0; p < pieces; p++) {
        content.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String file = write("random-" + f + ".csv", content.toString());
      files.add(file);
      expected.put(file, lines(content.toString()));
    }
    files.add(write("empty.csv", ""));
    expected.put(files.get(files.size() - 1), List.of());

    for (long splitBytes : new long[] {3, 5, 1 << 20}) {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      hadoop.setLong(MAX_SPLIT, splitBytes);
      try {
        Map<String, long[]> starts = SourceLines.splitStarts(files, hadoop).orElseThrow();
        Map<String, LineIndex> indexes = new HashMap<>();
        for (String file : files) {
          LineCounter counter = new LineCounter(starts.getOrDefault(file, new long[0]));
          byte[] bytes = Files.readAllBytes(Path.of(java.net.URI.create(file)));
          // Fed in chunks of any size, as a stream's reads return them.
          for (int at = 0; at < bytes.length; ) {
            int chunk = Math.min(bytes.length - at, 1 + random.nextInt(4));
            counter.update(bytes, at, chunk);
            at += chunk;
          }
          indexes.put(file, counter.index());
        }
        SourceLines.Read counted = SourceLines.read(spark, files, indexes, hadoop);
        SourceLines.Read sparkCounted = SourceLines.read(spark, files);

        List<Line> want = expectedLines(files, expected);
        assertThat(counted.lineCount()).isEqualTo(want.size());
        assertThat(sorted(lines(counted)))
            .as("split size %d", splitBytes)
            .containsExactlyElementsOf(want);
        assertThat(sparkCounted.lineCount()).isEqualTo(want.size());
        assertThat(sorted(lines(sparkCounted))).containsExactlyElementsOf(want);
        // Each split holds the lines Hadoop's own text input reads of it.
        assertThat(bySplit(counted)).isEqualTo(hadoopBySplit(files, hadoop));
      } finally {
        hadoop.unset(MAX_SPLIT);
      }
    }
  }

  @Test
  void compressedFilesAreCountedBySparkAndNumberedAllTheSame() throws Exception {
    Path gz = dir.resolve("batch.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("x\ny\r\nz".getBytes(StandardCharsets.UTF_8));
    }
    String file = new org.apache.hadoop.fs.Path(gz.toUri()).toString();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    assertThat(SourceLines.splitStarts(List.of(file), hadoop)).isEmpty();

    SourceLines.Read read = SourceLines.read(spark, List.of(file), Map.of(), hadoop);
    assertThat(read.lineCount()).isEqualTo(3);
    assertThat(sorted(lines(read)))
        .containsExactly(new Line(file, 1, "x"), new Line(file, 2, "y"), new Line(file, 3, "z"));
  }

  @Test
  void onlyAFilesFirstLineLosesAByteOrderMarkAndBadBytesReadAsHadoopReadsThem() throws Exception {
    // The byte order mark U+FEFF is the UTF-8 bytes EF BB BF; 0xFF is no UTF-8 byte, read as
    // U+FFFD.
    Path marked = dir.resolve("marked.csv");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("\uFEFFa,b\n\uFEFFc\nd".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xFF);
    bytes.write("\r\n".getBytes(StandardCharsets.UTF_8));
    Files.write(marked, bytes.toByteArray());
    String file = new org.apache.hadoop.fs.Path(marked.toUri()).toString();
    Configuration hadoop = new Configuration(spark.sparkContext().hadoopConfiguration());

    for (long splitBytes : new long[] {2, 4, 1 << 20}) {
      hadoop.setLong(MAX_SPLIT, splitBytes);
      SourceLines.Read read = SourceLines.read(spark, List.of(file), Map.of(), hadoop);
      assertThat(sorted(lines(read)))
          .as("split size %d", splitBytes)
          .containsExactly(
              new Line(file, 1, "a,b"), new Line(file, 2, "\uFEFFc"), new Line(file, 3, "d\uFFFD"));
      assertThat(bySplit(read)).isEqualTo(hadoopBySplit(List.of(file), hadoop));
    }
  }

  @Test
  void aMaximumLineLengthSkipsLongerLinesAsHadoopDoesAndLinesAreCountedBySpark() throws Exception {
    // Lines of 5 bytes or more, their end included, are skipped: "abcdefgh\n" and "long...".
    String file = write("long.csv", "ab\nabcdefgh\nxy\nlonglonglong\nz");
    Configuration hadoop = new Configuration(spark.sparkContext().hadoopConfiguration());
    hadoop.setInt(SplitLines.MAX_LINE_LENGTH, 5);
    assertThat(SourceLines.splitStarts(List.of(file), hadoop)).isEmpty();

    SourceLines.Read read = SourceLines.read(spark, List.of(file), Map.of(), hadoop);
    assertThat(read.lineCount()).isEqualTo(3);
    assertThat(sorted(lines(read)))
        .containsExactly(new Line(file, 1, "ab"), new Line(file, 2, "xy"), new Line(file, 3, "z"));
    assertThat(bySplit(read)).isEqualTo(hadoopBySplit(List.of(file), hadoop));
  }

  @Test
  void aConfiguredDelimiterReadsEachFileAsOneSplit() throws Exception {
    // Split at every 2 bytes, a delimiter of two bytes could be cut in two: the file is one split.
    String file = write("delimited.txt", "a||b\n||c||");
    Configuration hadoop = new Configuration(spark.sparkContext().hadoopConfiguration());
    hadoop.set(SplitLines.RECORD_DELIMITER, "||");
    hadoop.setLong(MAX_SPLIT, 2);
    assertThat(SourceLines.splitStarts(List.of(file), hadoop)).isEmpty();

    SourceLines.Read read = SourceLines.read(spark, List.of(file), Map.of(), hadoop);
    assertThat(read.splits())
        .containsExactly(new LineSplit(file, 0, 10, 1, read.splits().get(0).hosts()));
    assertThat(lines(read))
        .containsExactly(new Line(file, 1, "a"), new Line(file, 2, "b\n"), new Line(file, 3, "c"));
  }

  @Test
  void aSplitTheCounterDidNotSeeBreaksTheReadInsteadOfMisnumberingIt() {
    LineCounter counter = new LineCounter(new long[] {0, 4});
    byte[] bytes = "ab\ncd\nef".getBytes(StandardCharsets.UTF_8);
    counter.update(bytes, 0, bytes.length);
    LineIndex index = counter.index();
    assertThat(index.lines()).isEqualTo(3);
    assertThat(index.firstLine("f.csv", 0)).isEqualTo(1);
    // Lines starting at 0 and 3 come before a split from byte 4 ("d"), which reads "ef" first.
    assertThat(index.firstLine("f.csv", 4)).isEqualTo(3);
    assertThatThrownBy(() -> index.firstLine("f.csv", 5))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("f.csv starts at byte 5");

    LineCounter pastTheEnd = new LineCounter(new long[] {100});
    pastTheEnd.update(bytes, 0, bytes.length);
    assertThatThrownBy(pastTheEnd::index).hasMessageContaining("the file has 8 bytes");
  }

  @Test
  void countsLinesEightBytesAtATimeAsItDoesOneByOne() {
    // 200 KB of line ends of every kind among multi-byte text, fed in chunks up to 64 KB, so the
    // word-at-a-time count runs on words with and without a '\r' and across chunk and split edges.
    Random random = new Random(11);
    StringBuilder content = new StringBuilder();
    while (content.length() < 200_000) {
      content.append(PIECES[random.nextInt(PIECES.length)]);
      content.append("x".repeat(random.nextInt(20)));
    }
    byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
    long[] starts = new long[40];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = 1 + random.nextInt(bytes.length - 1);
    }
    LineCounter counter = new LineCounter(starts);
    for (int at = 0; at < bytes.length; ) {
      int chunk = Math.min(bytes.length - at, 1 + random.nextInt(1 << 16));
      counter.update(bytes, at, chunk);
      at += chunk;
    }
    LineIndex index = counter.index();

    assertThat(index.lines()).isEqualTo(lines(content.toString()).size());
    for (long start : starts) {
      // One byte at a time: the line starts at positions 0..start.
      long before = 0;
      for (int q = 0; q <= start; q++) {
        int previous = q == 0 ? '\n' : bytes[q - 1];
        if (previous == '\n' || (previous == '\r' && bytes[q] != '\n')) {
          before++;
        }
      }
      assertThat(index.firstLine("f.csv", start)).as("split at %d", start).isEqualTo(before + 1);
    }
  }

  /** The lines of {@code content} as a line reader sees them: "\n", "\r\n" or "\r" ends one. */
  private static List<String> lines(String content) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(line.toString());
        line.setLength(0);
        if (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        line.append(c);
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** One line of a source file. */
  private record Line(String file, long number, String text) {}

  private static List<Line> expectedLines(List<String> files, Map<String, List<String>> expected) {
    List<Line> lines = new ArrayList<>();
    for (String file : files) {
      List<String> texts = expected.get(file);
      for (int i = 0; i < texts.size(); i++) {
        lines.add(new Line(file, i + 1, texts.get(i)));
      }
    }
    return sorted(lines);
  }

  private static List<Line> sorted(List<Line> lines) {
    List<Line> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparing(Line::file).thenComparingLong(Line::number));
    return sorted;
  }

  /** Every split's lines, read as the parse's tasks read them, numbered from the split's first. */
  private static List<Line> lines(SourceLines.Read read) throws IOException {
    List<Line> lines = new ArrayList<>();
    for (LineSplit split : read.splits()) {
      try (SplitLines in =
          SplitLines.open(split.file(), split.start(), split.length(), read.configuration())) {
        for (long number = split.firstLine(); in.next(); number++) {
          lines.add(new Line(split.file(), number, in.line()));
        }
      }
    }
    return lines;
  }

  /** Every split's lines, by file and first byte. */
  private static Map<String, List<String>> bySplit(SourceLines.Read read) throws IOException {
    Map<String, List<String>> lines = new HashMap<>();
    for (LineSplit split : read.splits()) {
      List<String> texts = new ArrayList<>();
      try (SplitLines in =
          SplitLines.open(split.file(), split.start(), split.length(), read.configuration())) {
        while (in.next()) {
          texts.add(in.line());
        }
      }
      lines.put(split.file() + "@" + split.start(), texts);
    }
    return lines;
  }

  /**
   * The lines Hadoop's own text input ({@code TextInputFormat}'s {@code LineRecordReader}) reads of
   * each non-empty split of {@code files} on {@code conf}, by file and first byte.
   */
  private static Map<String, List<String>> hadoopBySplit(List<String> files, Configuration conf) {
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> text =
        (JavaNewHadoopRDD<LongWritable, Text>)
            JavaSparkContext.fromSparkContext(spark.sparkContext())
                .newAPIHadoopFile(
                    String.join(",", files),
                    TextInputFormat.class,
                    LongWritable.class,
                    Text.class,
                    conf);
    List<Tuple2<String, List<String>>> splits =
        text.mapPartitionsWithInputSplit(
                (split, records) -> {
                  FileSplit file = (FileSplit) split;
                  List<String> texts = new ArrayList<>();
                  records.forEachRemaining(record -> texts.add(record._2().toString()));
                  return List.of(new Tuple2<>(file.getPath() + "@" + file.getStart(), texts))
                      .iterator();
                },
                true)
            .collect();
    Map<String, List<String>> lines = new HashMap<>();
    splits.forEach(split -> lines.put(split._1(), split._2()));
    return lines;
  }

  private String write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    // As Hadoop names a split's file, and ingest its files.
    return new org.apache.hadoop.fs.Path(file.toUri()).toString();
  }

  @Test
  void aLocalMastersParallelismIsKnownWithoutStartingSpark() {
    assertThat(localParallelism("local")).hasValue(1);
    assertThat(localParallelism("local[3]")).hasValue(3);
    assertThat(localParallelism("local[2, 4]")).hasValue(2);
    assertThat(localParallelism("local[*]")).hasValue(Runtime.getRuntime().availableProcessors());
    assertThat(localParallelism("spark://host:7077")).isEmpty();
    assertThat(localParallelism("local-cluster[2,1,1024]")).isEmpty();
    assertThat(localParallelism("")).isEmpty();
    assertThat(
            SourceLines.SplitSizing.localParallelism(
                new org.apache.spark.SparkConf()
                    .set("spark.master", "local[2]")
                    .set("spark.default.parallelism", "7")))
        .hasValue(7);

    dev.sluice.common.engine.JobSession session =
        dev.sluice.common.engine.JobSession.onFirstUse(
            new org.apache.spark.SparkConf()
                .set("spark.master", "local[3]")
                .set("spark.sql.files.maxPartitionBytes", "64m"),
            () -> {
              throw new AssertionError("started");
            });
    assertThat(SourceLines.SplitSizing.of(session))
        .isEqualTo(new SourceLines.SplitSizing(3, 64L << 20, 4L << 20));
  }

  private static java.util.OptionalInt localParallelism(String master) {
    return SourceLines.SplitSizing.localParallelism(
        new org.apache.spark.SparkConf().set("spark.master", master));
  }
}
