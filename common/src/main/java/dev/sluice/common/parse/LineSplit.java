package dev.sluice.common.parse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One split of a source file, read by one task: the lines that start in bytes {@code (start, start
 * + length]} of {@code file} (from byte 0 for the file's first split), the first of them line
 * {@code firstLine} of the file (see {@link SplitLines}).
 *
 * @param file the file, as Hadoop names it ({@code file:/...}, {@code hdfs://...})
 * @param start the split's first byte
 * @param length the split's bytes
 * @param firstLine the 1-based number of the first line the split reads
 * @param hosts where the split's bytes are stored, for the scheduler to read them locally
 */
public record LineSplit(String file, long start, long length, long firstLine, List<String> hosts)
    implements InputPartition {
  private static final long serialVersionUID = 1L;

  public LineSplit {
    requireNonNull(file, "file is null");
    if (start < 0 || length < 0 || firstLine < 1) {
      throw new IllegalArgumentException(
          "a split needs a start and length of at least 0 and a first line of at least 1: "
              + file
              + " "
              + start
              + "+"
              + length
              + " from line "
              + firstLine);
    }
    hosts = List.copyOf(hosts);
  }

  @Override
  public String[] preferredLocations() {
    return hosts.toArray(String[]::new);
  }
}
