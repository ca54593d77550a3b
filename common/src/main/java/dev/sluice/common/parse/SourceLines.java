package dev.sluice.common.parse;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
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
 * gives no line numbers, so a first pass counts the lines of every split and a second numbers them:
 * two scans of plain text, cheap next to parsing and writing.
 *
 * <p>The lines stay a plain RDD, never a {@code Dataset}: the parse is their only reader, and
 * encoding every line into Spark's row format only to decode it again for the parse cost a fifth of
 * ingest's write.
 */
public final class SourceLines {
  private SourceLines() {}

  /** One line of a source file. */
  public record Line(String file, long number, String text) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The result of reading: the numbered lines and how many there are. */
  public record Read(JavaRDD<Line> lines, long lineCount) {}

  public static Read read(SparkSession spark, List<String> files) {
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

    Map<String, Long> firstLine = new HashMap<>();
    Map<String, Long> nextLineOfFile = new HashMap<>();
    long total = 0;
    List<Tuple2<String, long[]>> sorted = new ArrayList<>(counts);
    sorted.sort(
        Comparator.comparing((Tuple2<String, long[]> t) -> t._1())
            .thenComparingLong(t -> t._2()[0]));
    for (Tuple2<String, long[]> split : sorted) {
      long next = nextLineOfFile.getOrDefault(split._1(), 1L);
      firstLine.put(split._1() + "@" + split._2()[0], next);
      nextLineOfFile.put(split._1(), next + split._2()[1]);
      total += split._2()[1];
    }
    Broadcast<Map<String, Long>> offsets = context.broadcast(firstLine);

    JavaRDD<Line> numbered =
        text.mapPartitionsWithInputSplit(
            (split, records) -> {
              FileSplit file = (FileSplit) split;
              String path = file.getPath().toString();
              long start = offsets.value().get(path + "@" + file.getStart());
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
}
