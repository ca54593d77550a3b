package dev.sluice.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

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
  @TempDir Path dir;

  @Test
  void hashingAPlainFileCountsItsLinesForEverySplit() throws Exception {
    Path file = dir.resolve("a.csv");
    Files.writeString(file, "1, x\n2, y\r\n3, z\r4, w\n", StandardCharsets.UTF_8);
    Configuration hadoop = new Configuration();
    // Lines start at bytes 0, 5, 11 (after "\r\n") and 16 (after a lone "\r"); splits of 6 bytes
    // start at 6, 12 and 18.
    hadoop.setLong("mapreduce.input.fileinputformat.split.maxsize", 6);

    BatchFiles files = BatchFiles.resolve("tiny", "train", List.of(file.toString()), hadoop);

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
            "tiny", "train", List.of(plain.toString(), gz.toString()), new Configuration());

    assertThat(files.paths()).hasSize(2);
    assertThat(files.lineIndexes()).isEmpty();
  }
}
