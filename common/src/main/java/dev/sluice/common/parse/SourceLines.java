package dev.sluice.common.parse;

import dev.sluice.common.Errors;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Reads text files as numbered lines: (source file, 1-based line number, line). Hadoop's text input
 * gives no line numbers, so each split's first line number comes from a {@link LineIndex} per file:
 * the one ingest counted while it hashed the files, or else one from a first Spark pass that counts
 * the lines of every split.
 *
 * <p>The lines stay a plain RDD, never a {@code Dataset}: the parse is their only reader, and
 * encoding every line into Spark's row format only to decode it again for the parse cost a fifth of
 * ingest's write.
 */
public final class SourceLines {
  private static final String RECORD_DELIMITER = "textinputformat.record.delimiter";
  private static final String MAX_LINE_LENGTH = "mapreduce.input.linerecordreader.line.maxlength";
  private static final String MIN_SPLIT = "mapreduce.input.fileinputformat.split.minsize";
  private static final String MAX_SPLIT = "mapreduce.input.fileinputformat.split.maxsize";

  private SourceLines() {}

  /** One line of a source file. */
  public record Line(String file, long number, String text) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The result of reading: the numbered lines and how many there are. */
  public record Read(JavaRDD<Line> lines, long lineCount) {}

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
          bytes(spark, "spark.sql.files.maxPartitionBytes", "128m"),
          bytes(spark, "spark.sql.files.openCostInBytes", "4m"));
    }

    /** A size setting of the session (Spark's own defaults when unset), in bytes. */
    private static long bytes(SparkSession spark, String key, String sparkDefault) {
      return org.apache.spark.network.util.JavaUtils.byteStringAsBytes(
          spark.conf().get(key, sparkDefault));
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

  /** Reads {@code files}, counting their lines with a Spark pass first. */
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
   * Reads {@code files} with {@code conf} (split as {@link #splitStarts} split them on the same
   * configuration), numbering their lines from {@code indexes} (by file, as {@link #splitStarts}
   * named them); when a file has none, a Spark pass counts every file's lines first.
   */
  public static Read read(
      SparkSession spark, List<String> files, Map<String, LineIndex> indexes, Configuration conf) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> text =
        (JavaNewHadoopRDD<LongWritable, Text>)
            context.newAPIHadoopFile(
                String.join(",", files),
                TextInputFormat.class,
                LongWritable.class,
                Text.class,
                conf);
    Map<String, LineIndex> index =
        indexes.keySet().containsAll(files) ? Map.copyOf(indexes) : count(text);
    long total = index.values().stream().mapToLong(LineIndex::lines).sum();
    Broadcast<Map<String, LineIndex>> broadcast = context.broadcast(index);
    JavaRDD<Line> numbered =
        text.mapPartitionsWithInputSplit(
            (split, records) -> {
              FileSplit file = (FileSplit) split;
              String path = file.getPath().toString();
              LineIndex lines = broadcast.value().get(path);
              if (lines == null) {
                throw Errors.invariantBroken("no line index for file " + path);
              }
              long start = lines.firstLine(path, file.getStart());
              return new Iterator<Line>() {
                private long line = start;

                @Override
                public boolean hasNext() {
                  return records.hasNext();
                }

                @Override
                public Line next() {
                  Tuple2<LongWritable, Text> record = records.next();
                  return new Line(path, line++, record._2().toString());
                }
              };
            },
            true);
    return new Read(numbered, total);
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
   * Where Spark's text input splits each of {@code files} (what {@code newAPIHadoopFile} computes),
   * by file; empty when a {@link LineCounter} cannot count them from their bytes: a compressed
   * file, or lines read with a configured delimiter or length limit.
   */
  public static Optional<Map<String, long[]>> splitStarts(List<String> files, Configuration conf) {
    if (conf.get(RECORD_DELIMITER) != null
        || conf.getInt(MAX_LINE_LENGTH, Integer.MAX_VALUE) != Integer.MAX_VALUE) {
      return Optional.empty();
    }
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    if (files.stream().anyMatch(file -> codecs.getCodec(new Path(file)) != null)) {
      return Optional.empty();
    }
    try {
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, String.join(",", files));
      Map<String, List<Long>> starts = new HashMap<>();
      for (InputSplit split : new TextInputFormat().getSplits(job)) {
        FileSplit file = (FileSplit) split;
        starts
            .computeIfAbsent(file.getPath().toString(), f -> new ArrayList<>())
            .add(file.getStart());
      }
      Map<String, long[]> byFile = new HashMap<>();
      starts.forEach(
          (file, at) -> byFile.put(file, at.stream().mapToLong(Long::longValue).toArray()));
      return Optional.of(byFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the splits of " + files, e);
    }
  }

  /** A Spark pass that counts the lines of every split of {@code text}, as a line index by file. */
  private static Map<String, LineIndex> count(JavaNewHadoopRDD<LongWritable, Text> text) {
    List<Tuple2<String, long[]>> counts =
        text.mapPartitionsWithInputSplit(
                (split, records) -> {
                  FileSplit file = (FileSplit) split;
                  long lines = 0;
                  while (records.hasNext()) {
                    records.next();
                    lines++;
                  }
                  List<Tuple2<String, long[]>> out = new ArrayList<>(1);
                  out.add(
                      new Tuple2<>(file.getPath().toString(), new long[] {file.getStart(), lines}));
                  return out.iterator();
                },
                true)
            .collect();
    Map<String, List<long[]>> byFile = new TreeMap<>();
    for (Tuple2<String, long[]> split : counts) {
      byFile.computeIfAbsent(split._1(), f -> new ArrayList<>()).add(split._2());
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
