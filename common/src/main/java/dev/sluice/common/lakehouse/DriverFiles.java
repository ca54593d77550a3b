package dev.sluice.common.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.paths.SparkPath;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.execution.datasources.FileFormat$;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.Option;

/**
 * Small tables' files written and read by the driver. Writes a few rows built on the driver into a
 * Delta transaction's table as one Parquet file, written by the driver itself with the table's own
 * file format (Delta's Parquet writer, as a Spark task would run it): no query planning and no
 * Spark job. The file is added to the transaction's commit as Delta's own write would add it, with
 * its row count as statistics and the write's metrics (files, rows, bytes) in the commit's
 * information.
 */
final class DriverFiles {
  private DriverFiles() {}

  /**
   * Writes {@code rows} (in {@code schema}'s column order) into {@code txn}'s table.
   *
   * @return the actions adding the file (none for no rows), or empty when this write cannot stand
   *     for Delta's: the table has partitions, column mapping, CHECK constraints, generated or
   *     identity columns, or a row holds a null where the table allows none
   */
  static Optional<List<Action>> write(
      SparkSession spark, OptimisticTransaction txn, StructType schema, List<Row> rows) {
    Metadata metadata = txn.metadata();
    StructType table = metadata.schema();
    if (!plainTable(metadata)) {
      return Optional.empty();
    }
    // The file has the table's column order; the rows follow the spec's, matched by name.
    int[] positions = new int[table.fields().length];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = schema.fieldIndex(table.fields()[i].name());
    }
    Function1<Object, Object> converter = CatalystTypeConverters.createToCatalystConverter(table);
    InternalRow[] converted = new InternalRow[rows.size()];
    for (int r = 0; r < converted.length; r++) {
      Object[] values = new Object[positions.length];
      for (int i = 0; i < positions.length; i++) {
        values[i] = rows.get(r).get(positions[i]);
      }
      converted[r] = (InternalRow) converter.apply(RowFactory.create(values));
      if (!fits(converted[r], table, false)) {
        return Optional.empty();
      }
    }
    if (converted.length == 0) {
      return Optional.of(List.of());
    }
    return Optional.of(List.of(writeFile(spark, txn, table, converted)));
  }

  /**
   * Every row of a snapshot, read on the driver from the files its checksum lists, with Spark's own
   * Parquet reader (as a scan's task would run it): no query planning and no Spark job.
   *
   * @return the rows (each with the table's schema), or empty when the checksum lists no files or
   *     the table has partitions, column mapping, constraints, generated or identity columns, or
   *     deletion vectors (Delta's reader applies those)
   */
  static Optional<List<Row>> read(SparkSession spark, Snapshot snapshot) {
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    if (checksum.isEmpty()
        || checksum.get().allFiles().isEmpty()
        || !plainTable(snapshot.metadata())) {
      return Optional.empty();
    }
    List<AddFile> files =
        scala.jdk.javaapi.CollectionConverters.asJava(checksum.get().allFiles().get());
    for (AddFile file : files) {
      if (file.deletionVector() != null) {
        return Optional.empty();
      }
    }
    StructType schema = snapshot.schema();
    Function1<PartitionedFile, scala.collection.Iterator<InternalRow>> reader =
        new ParquetFileFormat()
            .buildReaderWithPartitionValues(
                spark,
                schema,
                new StructType(),
                schema,
                scala.collection.immutable.List$.MODULE$.empty(),
                scala.collection.immutable.Map$.MODULE$.from(
                    scala.jdk.javaapi.CollectionConverters.asScala(
                        Map.of(FileFormat$.MODULE$.OPTION_RETURNING_BATCH(), "false"))),
                spark.sessionState().newHadoopConf());
    Function1<Object, Object> toRow = CatalystTypeConverters.createToScalaConverter(schema);
    List<Row> rows = new ArrayList<>();
    for (AddFile file : files) {
      PartitionedFile split =
          new PartitionedFile(
              InternalRow.empty(),
              SparkPath.fromPath(file.absolutePath(snapshot.deltaLog())),
              0,
              file.size(),
              new String[0],
              file.modificationTime(),
              file.size(),
              scala.collection.immutable.Map$.MODULE$.empty());
      scala.collection.Iterator<InternalRow> each = reader.apply(split);
      while (each.hasNext()) {
        // The reader reuses its row: each is converted (copied) before the next.
        rows.add((Row) toRow.apply(each.next()));
      }
    }
    return Optional.of(rows);
  }

  /**
   * No partitions, column mapping, constraints, generated or identity columns: a table whose write
   * is its rows as they are, checked only for nulls.
   */
  private static boolean plainTable(Metadata metadata) {
    if (!metadata.partitionColumns().isEmpty()) {
      return false;
    }
    scala.collection.Iterator<String> keys = metadata.configuration().keysIterator();
    while (keys.hasNext()) {
      String key = keys.next();
      if (key.startsWith("delta.constraints.")
          || (key.equals("delta.columnMapping.mode")
              && !metadata.configuration().get(key).get().equals("none"))) {
        return false;
      }
    }
    for (StructField field : metadata.schema().fields()) {
      if (field.metadata().contains("delta.generationExpression")
          || field.metadata().contains("delta.identity.start")
          || field.metadata().contains("delta.invariants")) {
        return false;
      }
    }
    return true;
  }

  /** Whether a value has no null where its type (or its field) allows none, at any depth. */
  private static boolean fits(Object value, DataType type, boolean nullable) {
    if (value == null) {
      return nullable;
    }
    if (type instanceof StructType struct) {
      InternalRow row = (InternalRow) value;
      StructField[] fields = struct.fields();
      for (int i = 0; i < fields.length; i++) {
        Object field = row.isNullAt(i) ? null : row.get(i, fields[i].dataType());
        if (!fits(field, fields[i].dataType(), fields[i].nullable())) {
          return false;
        }
      }
    } else if (type instanceof ArrayType array) {
      ArrayData elements = (ArrayData) value;
      for (int i = 0; i < elements.numElements(); i++) {
        Object element = elements.isNullAt(i) ? null : elements.get(i, array.elementType());
        if (!fits(element, array.elementType(), array.containsNull())) {
          return false;
        }
      }
    } else if (type instanceof MapType map) {
      ArrayData values = ((MapData) value).valueArray();
      for (int i = 0; i < values.numElements(); i++) {
        Object element = values.isNullAt(i) ? null : values.get(i, map.valueType());
        if (!fits(element, map.valueType(), map.valueContainsNull())) {
          return false;
        }
      }
    }
    return true;
  }

  private static Action writeFile(
      SparkSession spark, OptimisticTransaction txn, StructType table, InternalRow[] rows) {
    try {
      Job job = Job.getInstance(spark.sessionState().newHadoopConf());
      OutputWriterFactory factory =
          txn.deltaLog()
              .fileFormat(txn.protocol(), txn.metadata())
              .prepareWrite(spark, job, scala.collection.immutable.Map$.MODULE$.empty(), table);
      TaskAttemptContext context =
          new TaskAttemptContextImpl(
              job.getConfiguration(),
              new TaskAttemptID(new TaskID(new JobID("sluice", 0), TaskType.MAP, 0), 0));
      String name = "part-00000-" + UUID.randomUUID() + "-c000" + factory.getFileExtension(context);
      Path file = new Path(txn.deltaLog().dataPath(), name);
      OutputWriter writer = factory.newInstance(file.toString(), table, context);
      try {
        for (InternalRow row : rows) {
          writer.write(row);
        }
      } catch (RuntimeException e) {
        try {
          writer.close();
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
      writer.close();
      FileStatus status = file.getFileSystem(job.getConfiguration()).getFileStatus(file);
      registerMetrics(spark, txn, rows.length, status.getLen());
      return new AddFile(
          name,
          scala.collection.immutable.Map$.MODULE$.empty(),
          status.getLen(),
          status.getModificationTime(),
          true,
          "{\"numRecords\":" + rows.length + "}",
          null,
          null,
          Option.empty(),
          Option.empty(),
          Option.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write a file of " + txn.deltaLog().dataPath() + ": " + e.getMessage(), e);
    }
  }

  /** The write's metrics, as Delta's write registers them for the commit's information. */
  private static void registerMetrics(
      SparkSession spark, OptimisticTransaction txn, long rows, long bytes) {
    Map<String, SQLMetric> metrics = new HashMap<>();
    metrics.put("numFiles", metric(spark, "number of written files", 1));
    metrics.put("numOutputRows", metric(spark, "number of output rows", rows));
    metrics.put(
        "numOutputBytes", SQLMetrics.createSizeMetric(spark.sparkContext(), "written output", -1L));
    metrics.get("numOutputBytes").set(bytes);
    txn.registerSQLMetrics(
        spark,
        scala.collection.immutable.Map$.MODULE$.from(
            scala.jdk.javaapi.CollectionConverters.asScala(metrics)));
  }

  private static SQLMetric metric(SparkSession spark, String name, long value) {
    SQLMetric metric = SQLMetrics.createMetric(spark.sparkContext(), name);
    metric.set(value);
    return metric;
  }
}
