package dev.sluice.common.table;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.TableSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Every table of a lakehouse that a data engineer may query, each spec listed once: the shared
 * tables, and a data set's own tables whose columns its data-set file fixes. The first ingest of a
 * data set creates them all, empty, so a query of a table that nothing has written to yet returns
 * no rows instead of failing. A data set's snapshot is not among them: the features job's first
 * build creates it.
 */
public final class LakehouseTables {
  private LakehouseTables() {}

  /** The tables every data set and model shares, in the order of docs/tables.md. */
  public static final List<TableSpec> SHARED =
      List.of(
          QuarantineTable.SPEC,
          DataProfilesTable.SPEC,
          CvResultsTable.SPEC,
          ModelMetricsTable.SPEC,
          ModelRegistryTable.SPEC,
          ModelBaselinesTable.SPEC,
          FeatureImportanceTable.SPEC,
          AliasLogTable.SPEC,
          PromotionLogTable.SPEC,
          PredictionsTable.SPEC,
          ReproducibilityChecksTable.SPEC,
          DriftMetricsTable.SPEC,
          PerformanceMetricsTable.SPEC,
          FairnessMetricsTable.SPEC,
          RetrainDecisionsTable.SPEC,
          JobRunsTable.SPEC);

  /**
   * The shared tables, then the raw table of {@code data} and the labels table of {@code labels}
   * (the spec of the same data set's labels files).
   */
  public static List<TableSpec> of(DatasetSpec data, DatasetSpec labels) {
    if (!data.name().equals(labels.name())) {
      throw new IllegalArgumentException(
          "The labels spec of data set '"
              + labels.name()
              + "' is not that of data set '"
              + data.name()
              + "'");
    }
    List<TableSpec> tables = new ArrayList<>(SHARED);
    tables.add(RawTable.spec(data));
    tables.add(LabelsTable.spec(labels));
    return List.copyOf(tables);
  }
}
