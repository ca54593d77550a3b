package dev.sluice.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** What a Delta table's files keep as statistics, read from its log and its Parquet footers. */
public final class FileStatistics {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FileStatistics() {}

  /** Delta's statistics of a table's added files: rows, and the columns with a min/max. */
  public record Delta(long rows, Set<String> columns) {}

  /** The statistics of every file added by the table's commits (every JSON file of its log). */
  public static Delta delta(Path table) throws IOException {
    long rows = 0;
    Set<String> columns = new TreeSet<>();
    List<Path> commits;
    try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
      commits = log.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    for (Path commit : commits) {
      for (String line : Files.readAllLines(commit)) {
        JsonNode add = JSON.readTree(line).path("add");
        if (!add.isMissingNode()) {
          JsonNode stats = JSON.readTree(add.path("stats").asText());
          rows += stats.path("numRecords").asLong();
          stats.path("minValues").fieldNames().forEachRemaining(columns::add);
        }
      }
    }
    return new Delta(rows, columns);
  }

  /**
   * Whether Parquet kept statistics of each column (by its dotted path) in the first row group of
   * one of the table's data files.
   */
  public static Map<String, Boolean> parquet(Path table) throws IOException {
    Path file;
    try (Stream<Path> files = Files.walk(table)) {
      file =
          files
              .filter(
                  f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no data file under " + table));
    }
    Map<String, Boolean> kept = new HashMap<>();
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      for (var column : reader.getFooter().getBlocks().get(0).getColumns()) {
        kept.put(column.getPath().toDotString(), !column.getStatistics().isEmpty());
      }
    }
    return kept;
  }
}
