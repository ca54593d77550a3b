package dev.sluice.common.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.testing.SparkTestBase;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        List<SourceLines.Line> want = expectedLines(files, expected);
        assertThat(counted.lineCount()).isEqualTo(want.size());
        assertThat(sorted(counted.lines().collect()))
            .as("split size %d", splitBytes)
            .containsExactlyElementsOf(want);
        assertThat(sparkCounted.lineCount()).isEqualTo(want.size());
        assertThat(sorted(sparkCounted.lines().collect())).containsExactlyElementsOf(want);
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
    assertThat(sorted(read.lines().collect()))
        .containsExactly(
            new SourceLines.Line(file, 1, "x"),
            new SourceLines.Line(file, 2, "y"),
            new SourceLines.Line(file, 3, "z"));
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

  private static List<SourceLines.Line> expectedLines(
      List<String> files, Map<String, List<String>> expected) {
    List<SourceLines.Line> lines = new ArrayList<>();
    for (String file : files) {
      List<String> texts = expected.get(file);
      for (int i = 0; i < texts.size(); i++) {
        lines.add(new SourceLines.Line(file, i + 1, texts.get(i)));
      }
    }
    return sorted(lines);
  }

  private static List<SourceLines.Line> sorted(List<SourceLines.Line> lines) {
    List<SourceLines.Line> sorted = new ArrayList<>(lines);
    sorted.sort(
        Comparator.comparing(SourceLines.Line::file).thenComparingLong(SourceLines.Line::number));
    return sorted;
  }

  private String write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    // As Hadoop names a split's file, and ingest its files.
    return new org.apache.hadoop.fs.Path(file.toUri()).toString();
  }
}
