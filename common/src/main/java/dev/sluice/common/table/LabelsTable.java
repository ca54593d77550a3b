package dev.sluice.common.table;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.TableSpec;
import java.util.List;

/**
 * A data set's delayed labels, {@code <dataset>_labels}: the accepted rows of its labels files (row
 * id and label, as {@link DatasetSpec#labelsSpec} declares them), with the lineage columns of a
 * {@link RawTable}.
 */
public final class LabelsTable {
  private LabelsTable() {}

  public static final String SUFFIX = "_labels";

  /** The labels table of a data set. */
  public static String name(String dataset) {
    return dataset + SUFFIX;
  }

  /** The labels table of the data set whose labels files {@code labels} describes. */
  public static TableSpec spec(DatasetSpec labels) {
    return new TableSpec(
        name(labels.name()),
        "Delayed labels of data set '"
            + labels.name()
            + "': row id and label of scored rows, plus lineage columns; ingested_at is when"
            + " the label arrived.",
        RawTable.schema(labels),
        List.of(),
        TableSpec.fileStatisticsOn(RawTable.LINEAGE_COLUMNS));
  }
}
