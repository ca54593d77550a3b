package dev.sluice.common.parse;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import dev.sluice.common.Columns;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Reads text files as (source file, 1-based line number, line) rows. Spark's text source gives no
 * line numbers, so a first pass counts the lines of every split and a second numbers them: two
 * scans of plain text, cheap next to parsing and writing.
 */
public final class SourceLines {
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            new StructField(Columns.SOURCE_FILE, StringType, false, Metadata.empty()),
            new StructField(Columns.LINE_NUMBER, LongType, false, Metadata.empty()),
            new StructField("line", StringType, false, Metadata.empty())
          });

  private SourceLines() {}

  /** The result of reading: the numbered lines and how many there are. */
  public record Read(Dataset<Row> lines, long lineCount) {}

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

    JavaRDD<Row> numbered =
        text.mapPartitionsWithInputSplit(
            (split, records) -> {
              FileSplit file = (FileSplit) split;
              String path = file.getPath().toString();
              long start = offsets.value().get(path + "@" + file.getStart());
              return new Iterator<Row>() {
                private long line = start;

                @Override
                public boolean hasNext() {
                  return records.hasNext();
                }

                @Override
                public Row next() {
                  Tuple2<LongWritable, Text> record = records.next();
                  return RowFactory.create(path, line++, record._2().toString());
                }
              };
            },
            true);
    return new Read(spark.createDataFrame(numbered, SCHEMA), total);
  }
}
