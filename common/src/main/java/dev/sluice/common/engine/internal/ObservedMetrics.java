package dev.sluice.common.engine.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.Option;

/**
 * Aggregates a Dataset computes as a side effect of the action that consumes it (Spark's {@code
 * Dataset.observe} by name), caught from that action's query execution by a listener registered for
 * the duration. Spark's own {@code Observation} does the same through the session's {@code
 * ObservationManager}, which Spark does not mark transient: once a JVM's session has one, any later
 * task that serializes the session (an MLlib logistic regression model holds it in its training
 * summary, and its {@code transform} ships the model) fails with {@code NotSerializableException}.
 */
public final class ObservedMetrics implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ObservedMetrics.class);
  private final SparkSession spark;
  private final String name = "sluice_observed_" + UUID.randomUUID().toString().replace("-", "");
  private final CompletableFuture<Row> metrics = new CompletableFuture<>();
  private final QueryExecutionListener listener =
      new QueryExecutionListener() {
        @Override
        public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
          Option<Row> row = qe.observedMetrics().get(name);
          if (row.isDefined()) {
            metrics.complete(row.get());
          }
        }

        @Override
        public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
      };

  private ObservedMetrics(SparkSession spark) {
    this.spark = spark;
  }

  /** Starts listening; {@link #close} stops. */
  public static ObservedMetrics start(SparkSession spark) {
    ObservedMetrics observed = new ObservedMetrics(spark);
    spark.listenerManager().register(observed.listener);
    return observed;
  }

  /** {@code rows}, computing {@code aggregates} (at least one) as they go. */
  public Dataset<Row> observe(Dataset<Row> rows, List<Column> aggregates) {
    return rows.observe(
        name, aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
  }

  /**
   * The aggregates' row, once the action that consumed the rows has succeeded and Spark's listener
   * bus has delivered it (milliseconds on an idle driver); empty when it did not arrive within
   * {@code timeoutSeconds} (logged once; later calls return at once), or when no action ran.
   */
  public Optional<Row> await(long timeoutSeconds) {
    try {
      return Optional.of(metrics.get(timeoutSeconds, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      LOG.warn("Observed metrics {} did not arrive within {} s", name, timeoutSeconds);
      // Waited once: a later call does not wait again.
      metrics.cancel(false);
      return Optional.empty();
    } catch (java.util.concurrent.CancellationException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for observed metrics " + name, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Observed metrics " + name + " failed", e.getCause());
    }
  }

  @Override
  public void close() {
    spark.listenerManager().unregister(listener);
  }
}
