package dev.sluice.common.settings;

import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.CsvSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.LabelSpec;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.features.FeatureSpec.CategoricalFeature;
import dev.sluice.common.features.FeatureSpec.Impute;
import dev.sluice.common.features.FeatureSpec.NumericFeature;
import dev.sluice.common.features.FeatureSpec.Transform;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;

/**
 * What {@link TestSpecs#TINY} reads as, written out by hand for the settings records that carry it.
 */
final class TinyDataset {
  private static final double INF = Double.POSITIVE_INFINITY;

  static final DatasetSpec SPEC =
      new DatasetSpec(
          "tiny",
          SourceFormat.CSV,
          new CsvSpec(", ", "\"", false, true),
          List.of("|"),
          List.of("?", ""),
          Map.of("train", List.of()),
          TaskType.BINARY,
          new LabelSpec("income", List.of("."), List.of("<=50K", ">50K"), ">50K"),
          List.of(
              new ColumnSpec("age", ColumnRole.NUMERIC, ValueType.INT, false, 0, 120, List.of()),
              new ColumnSpec(
                  "workclass",
                  ColumnRole.CATEGORICAL,
                  ValueType.STRING,
                  true,
                  -INF,
                  INF,
                  List.of()),
              new ColumnSpec(
                  "hours", ColumnRole.NUMERIC, ValueType.DOUBLE, true, -INF, INF, List.of()),
              new ColumnSpec(
                  "sex",
                  ColumnRole.CATEGORICAL,
                  ValueType.STRING,
                  true,
                  -INF,
                  INF,
                  List.of("Male", "Female")),
              new ColumnSpec(
                  "income", ColumnRole.LABEL, ValueType.STRING, true, -INF, INF, List.of())));

  /** Its features under reference.conf's sluice.features: numeric first, in file order. */
  static final FeatureSpec DEFAULT_FEATURES =
      new FeatureSpec(
          List.of(
              new NumericFeature("age", Impute.MEDIAN, true, Transform.NONE, 10),
              new NumericFeature("hours", Impute.MEDIAN, true, Transform.NONE, 10)),
          List.of(new CategoricalFeature("workclass", 10), new CategoricalFeature("sex", 10)));

  private TinyDataset() {}
}
