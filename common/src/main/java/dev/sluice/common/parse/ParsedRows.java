package dev.sluice.common.parse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.quality.ColumnProfiles;
import dev.sluice.common.quality.ProfileAccumulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a {@link LineSplit} as the rows of its lines of one kind: parses every line, counts each
 * kind, and makes the rows of the kept kind. It travels with each task, and with it the
 * accumulators the task adds to: Spark registers an accumulator with the task that deserializes it.
 *
 * <p>A task adds its counts (when {@code counts} is not null) and the profile of its rows (when
 * {@code profiles} is not null) once, when it has read its split's last line.
 */
final class ParsedRows implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final LineParser parser;
  private final boolean header;
  private final LineRows rows;
  private final HadoopConfiguration conf;
  private final LineKindCounts counts;
  private final ProfileAccumulator profiles;

  /**
   * Rows made by {@code rows} of lines parsed by {@code parser}; line 1 of a file is a header when
   * {@code header} and it is not skipped (blank, a comment). {@code counts} and {@code profiles}
   * may be null.
   */
  ParsedRows(
      LineParser parser,
      boolean header,
      LineRows rows,
      Configuration conf,
      LineKindCounts counts,
      ProfileAccumulator profiles) {
    this.parser = requireNonNull(parser, "parser is null");
    this.header = header;
    this.rows = requireNonNull(rows, "rows is null");
    this.conf = new HadoopConfiguration(requireNonNull(conf, "conf is null"));
    this.counts = counts;
    this.profiles = profiles;
  }

  /** The rows' columns. */
  StructType schema() {
    return rows.schema();
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    LineSplit split = (LineSplit) partition;
    try {
      return new Reader(split);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read " + split.file() + " from byte " + split.start(), e);
    }
  }

  /** One task's reader of one split. */
  private final class Reader implements PartitionReader<InternalRow> {
    private final SplitLines lines;
    private final LineRows.Builder builder;
    private final ColumnProfiles profile;
    private final long[] kinds = new long[LineKind.values().length];
    private long number;
    private InternalRow row;
    private boolean ended;

    Reader(LineSplit split) throws IOException {
      this.builder = rows.builder(split.file());
      this.profile = profiles == null ? null : profiles.layout().empty();
      this.number = split.firstLine() - 1;
      this.lines = SplitLines.open(split.file(), split.start(), split.length(), conf.value());
    }

    @Override
    public boolean next() throws IOException {
      while (lines.next()) {
        number++;
        String text = lines.line();
        ParsedLine parsed =
            header && number == 1 && parser.skipKind(text).isEmpty()
                ? ParsedLine.skipped(LineKind.HEADER)
                : parser.parse(text);
        kinds[parsed.kind().ordinal()]++;
        if (parsed.kind() == rows.kept()) {
          if (profile != null) {
            profile.add(parsed.values());
          }
          row = builder.row(number, text, parsed);
          return true;
        }
      }
      if (!ended) {
        ended = true;
        if (counts != null) {
          counts.add(kinds);
        }
        if (profiles != null) {
          profiles.add(profile);
        }
      }
      return false;
    }

    @Override
    public InternalRow get() {
      return row;
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
