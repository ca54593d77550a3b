package dev.sluice.common.parse;

import dev.sluice.common.Errors;
import dev.sluice.common.engine.JobSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Plans the reading of text files as numbered lines: the splits Hadoop's text input cuts them into,
 * each with the 1-based number of its first line, which {@link ParseSource} reads one task each.
 * Hadoop's text input gives no line numbers, so each split's first line number comes from a {@link
 * LineIndex} per file: the one ingest counted while it hashed the files, or else one from a first
 * Spark pass that counts the lines of every split.
 */
public final class SourceLines {
  private static final String MIN_SPLIT = "mapreduce.input.fileinputformat.split.minsize";
  private static final String MAX_SPLIT = "mapreduce.input.fileinputformat.split.maxsize";

  private SourceLines() {}

  /**
   * What a read plan holds: the numbered splits, how many lines they hold in all, and the Hadoop
   * configuration to read them with.
   */
  public record Read(List<LineSplit> splits, long lineCount, Configuration configuration) {
    public Read {
      splits = List.copyOf(splits);
    }
  }

  /**
   * How a batch's files are cut into splits, one task each: into a multiple of {@code cores} splits
   * of one size, at most {@code maxSplitBytes} and at least {@code minSplitBytes}.
   *
   * <p>Hadoop's own split size is the file system's block size (32 MB on a local disk), whatever
   * the cores: a 122 MB batch on two cores ran as splits of 32, 32, 32 and 26 MB, so one core idled
   * while the other read the fourth. Equal splits, as many per core, keep every core busy to the
   * end, and the limits are those of Spark's file sources ({@code
   * spark.sql.files.maxPartitionBytes} and {@code openCostInBytes}).
   */
  public record SplitSizing(int cores, long maxSplitBytes, long minSplitBytes) {
    private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";
    private static final String OPEN_COST = "spark.sql.files.openCostInBytes";

    /** {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N, maxFailures]}. */
    private static final Pattern LOCAL_MASTER =
        Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\s*\\d+)?\\])?");

    public SplitSizing {
      if (cores < 1 || minSplitBytes < 1 || maxSplitBytes < minSplitBytes) {
        throw new IllegalArgumentException(
            "cores and split sizes must be positive, max >= min: "
                + cores
                + ", "
                + maxSplitBytes
                + ", "
                + minSplitBytes);
      }
    }

    /** The session's cores (default parallelism) and Spark's file split limits. */
    public static SplitSizing of(SparkSession spark) {
      return new SplitSizing(
          spark.sparkContext().defaultParallelism(),
          bytes(spark, MAX_PARTITION_BYTES, "128m"),
          bytes(spark, OPEN_COST, "4m"));
    }

    /**
     * {@link #of(SparkSession)} of the job's session, without starting it when the master is local:
     * a local master's default parallelism is {@code spark.default.parallelism}, else its thread
     * count, as Spark's local scheduler takes it. A cluster's is known once its executors have
     * registered, so the session starts.
     */
    public static SplitSizing of(JobSession session) {
      OptionalInt local =
          session.started() ? OptionalInt.empty() : localParallelism(session.conf());
      if (local.isEmpty()) {
        return of(session.spark());
      }
      SparkConf conf = session.conf();
      return new SplitSizing(
          local.getAsInt(),
          bytes(conf.get(MAX_PARTITION_BYTES, "128m")),
          bytes(conf.get(OPEN_COST, "4m")));
    }

    /** The default parallelism of a local master ({@code local}, {@code local[N]}, ...). */
    static OptionalInt localParallelism(SparkConf conf) {
      Matcher local = LOCAL_MASTER.matcher(conf.get("spark.master", ""));
      if (!local.matches()) {
        return OptionalInt.empty();
      }
      int threads =
          local.group(1) == null
              ? 1
              : local.group(1).equals("*")
                  ? Runtime.getRuntime().availableProcessors()
                  : Integer.parseInt(local.group(1));
      return OptionalInt.of(conf.getInt("spark.default.parallelism", threads));
    }

    /** A size setting of the session (Spark's own defaults when unset), in bytes. */
    private static long bytes(SparkSession spark, String key, String sparkDefault) {
      return bytes(spark.conf().get(key, sparkDefault));
    }

    private static long bytes(String size) {
      return org.apache.spark.network.util.JavaUtils.byteStringAsBytes(size);
    }

    /**
     * {@code base} with the split size for files of {@code totalBytes} in all: their total size
     * over the smallest multiple of the cores that keeps each split within the maximum (never below
     * the minimum); {@code base} itself when its split size is configured already.
     */
    public Configuration configure(Configuration base, long totalBytes) {
      if (base.getLong(MIN_SPLIT, 1) > 1
          || base.getLong(MAX_SPLIT, Long.MAX_VALUE) != Long.MAX_VALUE) {
        return base;
      }
      long perWave = Math.multiplyExact((long) cores, maxSplitBytes);
      long splits = cores * Math.max(1, (totalBytes + perWave - 1) / perWave);
      long size = Math.max(minSplitBytes, (totalBytes + splits - 1) / splits);
      Configuration sized = new Configuration(base);
      sized.setLong(MIN_SPLIT, size);
      sized.setLong(MAX_SPLIT, size);
      return sized;
    }
  }

  /** Plans reading {@code files}, counting their lines with a Spark pass first. */
  public static Read read(SparkSession spark, List<String> files) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    long total = 0;
    try {
      for (String file : files) {
        Path path = new Path(file);
        total += path.getFileSystem(hadoop).getFileStatus(path).getLen();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the sizes of " + files, e);
    }
    return read(spark, files, Map.of(), SplitSizing.of(spark).configure(hadoop, total));
  }

  /**
   * Plans reading {@code files} with {@code conf} (split as {@link #splitStarts} split them on the
   * same configuration), numbering their lines from {@code indexes} (by file, as {@link
   * #splitStarts} named them); when a file has none, a Spark pass counts every file's lines first.
   */
  public static Read read(
      SparkSession spark, List<String> files, Map<String, LineIndex> indexes, Configuration conf) {
    List<Piece> pieces = pieces(files, conf);
    Map<String, LineIndex> index =
        indexes.keySet().containsAll(files)
            ? Map.copyOf(indexes)
            : count(spark, pieces, new HadoopConfiguration(conf));
    List<LineSplit> splits = new ArrayList<>(pieces.size());
    for (Piece piece : pieces) {
      LineIndex lines = index.get(piece.file());
      if (lines == null) {
        throw Errors.invariantBroken("no line index for file " + piece.file());
      }
      splits.add(
          new LineSplit(
              piece.file(),
              piece.start(),
              piece.length(),
              lines.firstLine(piece.file(), piece.start()),
              piece.hosts()));
    }
    long total = index.values().stream().mapToLong(LineIndex::lines).sum();
    return new Read(splits, total, conf);
  }

  /**
   * The text of {@code file} as Spark's text input reads it: decompressed by the Hadoop codec its
   * name calls for ({@code .gz}, {@code .bz2}, ...), in UTF-8. The caller closes it.
   */
  public static BufferedReader open(String file, Configuration conf) throws IOException {
    Path path = new Path(file);
    InputStream in = path.getFileSystem(conf).open(path);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    if (codec != null) {
      try {
        in = codec.createInputStream(in);
      } catch (IOException e) {
        in.close();
        throw e;
      }
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * Where Spark's text input splits each of {@code files}, by file; empty when a {@link
   * LineCounter} cannot count them from their bytes: a compressed file, or lines read with a
   * configured delimiter or length limit.
   */
  public static Optional<Map<String, long[]>> splitStarts(List<String> files, Configuration conf) {
    if (readWhole(conf)
        || conf.getInt(SplitLines.MAX_LINE_LENGTH, Integer.MAX_VALUE) != Integer.MAX_VALUE) {
      return Optional.empty();
    }
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    if (files.stream().anyMatch(file -> codecs.getCodec(new Path(file)) != null)) {
      return Optional.empty();
    }
    Map<String, List<Long>> starts = new HashMap<>();
    for (Piece piece : pieces(files, conf)) {
      starts.computeIfAbsent(piece.file(), f -> new ArrayList<>()).add(piece.start());
    }
    Map<String, long[]> byFile = new HashMap<>();
    starts.forEach(
        (file, at) -> byFile.put(file, at.stream().mapToLong(Long::longValue).toArray()));
    return Optional.of(byFile);
  }

  /** Whether every file is read as one split: lines end at a configured delimiter. */
  private static boolean readWhole(Configuration conf) {
    return conf.get(SplitLines.RECORD_DELIMITER) != null;
  }

  /** Bytes {@code start} to {@code start + length} of a file, not yet numbered. */
  private record Piece(String file, long start, long length, List<String> hosts)
      implements Serializable {
    /** How many lines the piece holds, as {@link SplitLines} reads them. */
    long lines(Configuration conf) throws IOException {
      long lines = 0;
      try (SplitLines read = SplitLines.open(file, start, length, conf)) {
        while (read.next()) {
          lines++;
        }
      }
      return lines;
    }
  }

  /**
   * The splits Hadoop's {@code TextInputFormat} makes of {@code files} on {@code conf}, as Spark's
   * {@code newAPIHadoopFile} would read them: in order, without empty ones (Spark's {@code
   * spark.hadoopRDD.ignoreEmptySplits}); a file that is compressed, or whose lines end at a
   * configured delimiter, is one split, as {@link SplitLines} reads it from its first byte to its
   * end (a split ending inside a delimiter of several bytes would lose a line).
   */
  private static List<Piece> pieces(List<String> files, Configuration conf) {
    try {
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, files.stream().map(Path::new).toArray(Path[]::new));
      CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
      Map<String, Piece> pieces = new LinkedHashMap<>();
      for (InputSplit split : new TextInputFormat().getSplits(job)) {
        FileSplit file = (FileSplit) split;
        if (file.getLength() == 0) {
          continue;
        }
        String path = file.getPath().toString();
        Piece piece =
            new Piece(path, file.getStart(), file.getLength(), List.of(file.getLocations()));
        if (readWhole(conf) || codecs.getCodec(file.getPath()) != null) {
          pieces.merge(
              path,
              new Piece(path, 0, piece.start() + piece.length(), piece.hosts()),
              (before, after) ->
                  new Piece(path, 0, Math.max(before.length(), after.length()), before.hosts()));
        } else {
          pieces.put(path + "@" + piece.start(), piece);
        }
      }
      return List.copyOf(pieces.values());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the splits of " + files, e);
    }
  }

  /** The pieces' lines in each file, as a line index by file, from a Spark pass over them. */
  private static Map<String, LineIndex> count(
      SparkSession spark, List<Piece> pieces, HadoopConfiguration conf) {
    if (pieces.isEmpty()) {
      return Map.of();
    }
    List<long[]> counts =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(pieces, pieces.size())
            .map(piece -> new long[] {piece.start(), piece.lines(conf.value())})
            .collect();
    Map<String, List<long[]>> byFile = new TreeMap<>();
    for (int i = 0; i < pieces.size(); i++) {
      byFile.computeIfAbsent(pieces.get(i).file(), f -> new ArrayList<>()).add(counts.get(i));
    }
    Map<String, LineIndex> index = new HashMap<>();
    byFile.forEach(
        (file, splits) -> {
          splits.sort(Comparator.comparingLong(split -> split[0]));
          long[] starts = splits.stream().mapToLong(split -> split[0]).filter(s -> s > 0).toArray();
          long[] before = new long[starts.length];
          long lines = 0;
          int next = 0;
          for (long[] split : splits) {
            if (split[0] > 0) {
              before[next++] = lines;
            }
            lines += split[1];
          }
          index.put(file, new LineIndex(lines, starts, before));
        });
    return index;
  }
}
