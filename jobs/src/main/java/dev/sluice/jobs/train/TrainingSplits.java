package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.train.ClassWeight;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** A snapshot's train, validation and test splits, persisted while the job trains on them. */
record TrainingSplits(Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test)
    implements AutoCloseable {

  /**
   * The three splits of {@code snapshot}, each persisted (memory and disk), the train split's rows
   * weighed by {@code classWeight}.
   */
  static TrainingSplits persisted(Dataset<Row> snapshot, ClassWeight classWeight) {
    return new TrainingSplits(
        classWeight.weigh(split(snapshot, "train")).persist(StorageLevel.MEMORY_AND_DISK()),
        split(snapshot, "validation").persist(StorageLevel.MEMORY_AND_DISK()),
        split(snapshot, "test").persist(StorageLevel.MEMORY_AND_DISK()));
  }

  /** The rows of one split of a snapshot. */
  static Dataset<Row> split(Dataset<Row> snapshot, String name) {
    return snapshot.where(col(Columns.SPLIT).equalTo(name));
  }

  @Override
  public void close() {
    train.unpersist();
    validation.unpersist();
    test.unpersist();
  }
}
