package dev.sluice.common.parse;

import dev.sluice.common.Errors;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
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

  private SourceLines() {}

  /** One line of a source file. */
  public record Line(String file, long number, String text) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The result of reading: the numbered lines and how many there are. */
  public record Read(JavaRDD<Line> lines, long lineCount) {}

  /** Reads {@code files}, counting their lines with a Spark pass first. */
  public static Read read(SparkSession spark, List<String> files) {
    return read(spark, files, Map.of());
  }

  /**
   * Reads {@code files}, numbering their lines from {@code indexes} (by file, as {@link
   * #splitStarts} named them); when a file has none, a Spark pass counts every file's lines first.
   */
  public static Read read(SparkSession spark, List<String> files, Map<String, LineIndex> indexes) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> text =
        (JavaNewHadoopRDD<LongWritable, Text>)
            context.newAPIHadoopFile(
                String.join(",", files),
                TextInputFormat.class,
                LongWritable.class,
                Text.class,
                context.hadoopConfiguration());
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
