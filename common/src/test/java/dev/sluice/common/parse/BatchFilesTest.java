package dev.sluice.common.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.testing.TestSpecs;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFilesTest {
  /** Two cores, splits of 4 to 15 bytes. */
  private static final SourceLines.SplitSizing TWO_CORES = new SourceLines.SplitSizing(2, 15, 4);

  @TempDir Path dir;

  @Test
  void aBatchIsCutIntoEqualSplitsAsManyPerCoreUnlessTheSplitSizeIsConfigured() throws Exception {
    Path file = dir.resolve("a.csv");
    // 40 bytes, ten lines of "ab\n" and "c\n" alternately: lines start at 0, 3, 5, 8, 10, ...
    Files.writeString(file, "ab\nc\n".repeat(8), StandardCharsets.UTF_8);

    // 40 bytes on two cores in splits of at most 15: 4 splits (2 per core) of 10 bytes.
    BatchFiles files =
        BatchFiles.resolve(
            "tiny", "train", List.of(file.toString()), new Configuration(), TWO_CORES);
    String path = files.paths().get(0);
    assertThat(files.lineIndexes().get(path).splitStarts()).containsExactly(10, 20, 30);
    // Line 5 starts at byte 10, so it belongs to the split before; the split from 10 reads from
    // line 6 (byte 13).
    assertThat(files.lineIndexes().get(path).firstLine(path, 10)).isEqualTo(6);

    // Never below the minimum: splits of 4 bytes would be 10, of at least 25 bytes are 2.
    files =
        BatchFiles.resolve(
            "tiny",
            "train",
            List.of(file.toString()),
            new Configuration(),
            new SourceLines.SplitSizing(2, 100, 25));
    assertThat(files.lineIndexes().get(path).splitStarts()).containsExactly(25);

    // A configured split size wins.
    Configuration configured = new Configuration();
    configured.setLong("mapreduce.input.fileinputformat.split.maxsize", 16);
    files = BatchFiles.resolve("tiny", "train", List.of(file.toString()), configured, TWO_CORES);
    assertThat(files.lineIndexes().get(path).splitStarts()).containsExactly(16, 32);
    assertThat(files.readConfiguration()).isSameAs(configured);
  }

  @Test
  void hashingAPlainFileCountsItsLinesForEverySplit() throws Exception {
    Path file = dir.resolve("a.csv");
    Files.writeString(file, "1, x\n2, y\r\n3, z\r4, w\n", StandardCharsets.UTF_8);
    Configuration hadoop = new Configuration();
    // Lines start at bytes 0, 5, 11 (after "\r\n") and 16 (after a lone "\r"); splits of 6 bytes
    // start at 6, 12 and 18.
    hadoop.setLong("mapreduce.input.fileinputformat.split.maxsize", 6);

    BatchFiles files =
        BatchFiles.resolve("tiny", "train", List.of(file.toString()), hadoop, TWO_CORES);

    String path = files.paths().get(0);
    assertThat(files.lineIndexes()).containsOnlyKeys(path);
    var index = files.lineIndexes().get(path);
    assertThat(index.lines()).isEqualTo(4);
    assertThat(index.splitStarts()).containsExactly(6, 12, 18);
    // A split's first line is the first that starts after its start; the last split reads none.
    assertThat(index.firstLine(path, 6)).isEqualTo(3);
    assertThat(index.firstLine(path, 12)).isEqualTo(4);
    assertThat(index.firstLine(path, 18)).isEqualTo(5);
  }

  @Test
  void aCompressedFileLeavesTheWholeBatchToSparksCount() throws Exception {
    Path plain = dir.resolve("a.csv");
    Files.writeString(plain, "1, x\n", StandardCharsets.UTF_8);
    Path gz = dir.resolve("b.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("2, y\n".getBytes(StandardCharsets.UTF_8));
    }

    BatchFiles files =
        BatchFiles.resolve(
            "tiny",
            "train",
            List.of(plain.toString(), gz.toString()),
            new Configuration(),
            TWO_CORES);

    assertThat(files.paths()).hasSize(2);
    assertThat(files.lineIndexes()).isEmpty();
  }

  @Test
  void aHeaderIsCheckedAgainstTheColumnsSourceNames() throws Exception {
    DatasetSpec spec =
        DatasetSpecReader.read(
            TestSpecs.load(
                    """
                    sluice.dataset {
                      name = boxes
                      csv.header = true
                      sources { train = [] }
                      task = multiclass
                      label.classes = [a, b]
                      columns = [
                        { name = x_box, source-name = "x.box", role = numeric }
                        { name = y_box, source-name = "y.box", role = numeric }
                        { name = class, role = label }
                      ]
                    }
                    """)
                .config());
    Path named = dir.resolve("named.csv");
    Files.writeString(named, "x.box,y.box,class\n1,2,a\n", StandardCharsets.UTF_8);
    Path renamed = dir.resolve("renamed.csv");
    Files.writeString(renamed, "x_box,y_box,class\n1,2,a\n", StandardCharsets.UTF_8);

    BatchFiles.resolve("boxes", "train", List.of(named.toString()), new Configuration(), TWO_CORES)
        .checkShape(spec, LabelPolicy.REQUIRED, new Configuration());
    // The table's names are not the file's: a header that uses them does not fit.
    BatchFiles files =
        BatchFiles.resolve(
            "boxes", "train", List.of(renamed.toString()), new Configuration(), TWO_CORES);
    assertThatThrownBy(() -> files.checkShape(spec, LabelPolicy.REQUIRED, new Configuration()))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(
            "its header names the columns [x_box, y_box, class] but the data-set spec declares"
                + " [x.box, y.box, class]");
  }

  @Test
  void theHeaderOfACompressedFileIsReadThroughItsCodec() throws Exception {
    DatasetSpec spec =
        DatasetSpecReader.read(
            TestSpecs.load(
                    TestSpecs.TINY.replace(
                        "csv { delimiter = \", \" }", "csv { delimiter = \", \", header = true }"))
                .config());
    Path gz = dir.resolve("b.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(
          "age, workclass, hours, sex, income\n39, State-gov, 40, Male, <=50K\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    BatchFiles files =
        BatchFiles.resolve("tiny", "train", List.of(gz.toString()), new Configuration(), TWO_CORES);

    files.checkShape(spec, LabelPolicy.REQUIRED, new Configuration());

    Path renamed = dir.resolve("c.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(renamed))) {
      out.write("age, workclass, hours, gender, income\n".getBytes(StandardCharsets.UTF_8));
    }
    BatchFiles other =
        BatchFiles.resolve(
            "tiny", "train", List.of(renamed.toString()), new Configuration(), TWO_CORES);
    assertThatThrownBy(() -> other.checkShape(spec, LabelPolicy.REQUIRED, new Configuration()))
        .hasMessageContaining(
            "its header names the columns [age, workclass, hours, gender, income]");
  }
}
