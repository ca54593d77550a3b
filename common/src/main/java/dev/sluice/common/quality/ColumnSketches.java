package dev.sluice.common.quality;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One aggregate for a profile's per-column summaries that Spark's built-in aggregates make slow: a
 * quantile summary of each numeric column ({@link QuantileSketch}, what {@code percentile_approx}
 * computes, without its per-value objects) and exact value counts of each column with top values
 * ({@link ValueCounts}). One aggregate over all the columns turns each row into a Java row once,
 * where one aggregate per column did it once per column. It can run as a write goes ({@code
 * Dataset.observe}) or over rows read back; its result is the merged {@link Sketches}, serialized.
 */
public final class ColumnSketches extends Aggregator<Row, ColumnSketches.Sketches, byte[]> {
  private static final long serialVersionUID = 1L;
  private final int numeric;
  private final int counted;
  private final double relativeError;
  private final int valueLimit;

  private ColumnSketches(int numeric, int counted, double relativeError, int valueLimit) {
    this.numeric = numeric;
    this.counted = counted;
    this.relativeError = relativeError;
    this.valueLimit = valueLimit;
  }

  /**
   * The aggregate of the quantiles of {@code numeric} columns (cast to double, summarized to {@code
   * relativeError}) and the value counts of {@code counted} columns (cast to string, up to {@code
   * valueLimit} values each).
   */
  public static Column of(
      List<Column> numeric, List<Column> counted, double relativeError, int valueLimit) {
    StructType input = new StructType();
    Column[] columns = new Column[numeric.size() + counted.size()];
    for (int i = 0; i < numeric.size(); i++) {
      input = input.add("n" + i, DataTypes.DoubleType);
      columns[i] = numeric.get(i).cast("double");
    }
    for (int i = 0; i < counted.size(); i++) {
      input = input.add("c" + i, DataTypes.StringType);
      columns[numeric.size() + i] = counted.get(i).cast("string");
    }
    return functions
        .udaf(
            new ColumnSketches(numeric.size(), counted.size(), relativeError, valueLimit),
            Encoders.row(input))
        .apply(columns);
  }

  /** The summaries of a batch's columns, in the order given to {@link #of}. */
  public static final class Sketches implements Serializable {
    private static final long serialVersionUID = 1L;
    private final QuantileSketch[] quantiles;
    private final ValueCounts[] counts;

    Sketches(int numeric, int counted, double relativeError, int valueLimit) {
      quantiles = new QuantileSketch[numeric];
      for (int i = 0; i < numeric; i++) {
        quantiles[i] = new QuantileSketch(relativeError);
      }
      counts = new ValueCounts[counted];
      for (int i = 0; i < counted; i++) {
        counts[i] = new ValueCounts(valueLimit);
      }
    }

    /** The quantile summary of the {@code i}th numeric column. */
    public QuantileSketch quantiles(int i) {
      return quantiles[i];
    }

    /** The value counts of the {@code i}th counted column. */
    public ValueCounts counts(int i) {
      return counts[i];
    }

    /** The sketches from the aggregate's result. */
    public static Sketches from(byte[] bytes) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        return (Sketches) in.readObject();
      } catch (IOException | ClassNotFoundException e) {
        throw new IllegalStateException("Cannot read the profile's column sketches", e);
      }
    }
  }

  @Override
  public Sketches zero() {
    return new Sketches(numeric, counted, relativeError, valueLimit);
  }

  @Override
  public Sketches reduce(Sketches sketches, Row row) {
    for (int i = 0; i < numeric; i++) {
      if (!row.isNullAt(i)) {
        sketches.quantiles[i].insert(row.getDouble(i));
      }
    }
    for (int i = 0; i < counted; i++) {
      sketches.counts[i].add(row.getString(numeric + i));
    }
    return sketches;
  }

  @Override
  public Sketches merge(Sketches a, Sketches b) {
    for (int i = 0; i < numeric; i++) {
      a.quantiles[i].merge(b.quantiles[i]);
    }
    for (int i = 0; i < counted; i++) {
      a.counts[i].merge(b.counts[i]);
    }
    return a;
  }

  @Override
  public byte[] finish(Sketches sketches) {
    try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(sketches);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write the profile's column sketches", e);
    }
  }

  @Override
  public Encoder<Sketches> bufferEncoder() {
    return Encoders.javaSerialization(Sketches.class);
  }

  @Override
  public Encoder<byte[]> outputEncoder() {
    return Encoders.BINARY();
  }
}
