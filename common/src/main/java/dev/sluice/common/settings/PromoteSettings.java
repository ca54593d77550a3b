package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.train.PointMetrics;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Everything the promote job needs, read and checked before Spark starts. */
public record PromoteSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    Mode mode,
    OptionalLong challengerVersion,
    Bootstrap bootstrap,
    double minImprovement,
    OptionalDouble minMetric,
    OptionalDouble maxMetric,
    Slices slices,
    String metric,
    OptionalLong rollbackTo,
    String reason,
    String settingsHash) {
  public static final String PATH = "sluice.promote";
  public static final String USAGE =
      "promote --config conf/application.conf --config conf/datasets/<name>.conf [--challenger N]"
          + " [--mode disabled|dry-run|enabled] [--rollback-to N --reason TEXT] [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of(
          "--challenger",
          PATH + ".challenger-version",
          "--mode",
          PATH + ".mode",
          "--rollback-to",
          PATH + ".rollback-to",
          "--reason",
          PATH + ".reason");

  /** What the gate may do. */
  public enum Mode {
    DISABLED,
    DRY_RUN,
    ENABLED
  }

  public record Bootstrap(int resamples, long seed, double confidence, int maxRows) {}

  /**
   * Per-group guardrails: a group of each column with at least {@code minRows} test rows must not
   * drop (in the metric's better direction) by more than {@code maxDrop} in the metric's own units,
   * nor by more than {@code maxRelativeDrop} of the champion's value on the group; an empty bound
   * is not checked.
   */
  public record Slices(
      List<String> columns, OptionalDouble maxDrop, OptionalDouble maxRelativeDrop, int minRows) {
    public Slices {
      columns = List.copyOf(columns);
      requireNonNull(maxDrop, "maxDrop is null");
      requireNonNull(maxRelativeDrop, "maxRelativeDrop is null");
    }

    /** The largest drop allowed from a champion's value on a group: the stricter bound. */
    public OptionalDouble allowedDrop(double champion) {
      OptionalDouble relative =
          maxRelativeDrop.isPresent()
              ? OptionalDouble.of(maxRelativeDrop.getAsDouble() * Math.abs(champion))
              : OptionalDouble.empty();
      if (maxDrop.isEmpty()) {
        return relative;
      }
      return relative.isEmpty()
          ? maxDrop
          : OptionalDouble.of(Math.min(maxDrop.getAsDouble(), relative.getAsDouble()));
    }
  }

  public PromoteSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(challengerVersion, "challengerVersion is null");
    requireNonNull(bootstrap, "bootstrap is null");
    requireNonNull(minMetric, "minMetric is null");
    requireNonNull(maxMetric, "maxMetric is null");
    requireNonNull(slices, "slices is null");
    requireNonNull(metric, "metric is null");
    requireNonNull(rollbackTo, "rollbackTo is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static PromoteSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static PromoteSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    DatasetSpec dataset = DatasetSpecReader.read(config);
    // The gate judges the metric training selected on.
    TrainSettings train = TrainSettings.from(loaded);
    String metric = train.metric();
    if (!PointMetrics.supports(metric)) {
      throw Errors.badSetting(
          TrainSettings.PATH + ".metric",
          "the promotion gate cannot bootstrap '"
              + metric
              + "': it recomputes the metric on the driver for every resample",
          "Use one of "
              + train.taskMetrics().stream().filter(PointMetrics::supports).toList()
              + ".");
    }
    SettingsReader promote = SettingsReader.of(config.getConfig(PATH), PATH);
    long challenger = promote.longValue("challenger-version");
    long rollbackTo = promote.longValue("rollback-to");
    String reason = promote.string("reason").strip();
    if (rollbackTo >= 0 && reason.isEmpty()) {
      throw Errors.badSetting(
          promote.path("reason"),
          "is empty, and a rollback is logged with its reason",
          "Say why with --reason, e.g. --reason \"v3 mislabels new customers\".");
    }
    SettingsReader bootstrap = promote.at("bootstrap");
    double confidence = bootstrap.fraction("confidence");
    if (confidence <= 0 || confidence >= 1) {
      throw Errors.badSetting(
          bootstrap.path("confidence"), "must be strictly between 0 and 1", "Use e.g. 0.95.");
    }
    SettingsReader slices = promote.at("slices");
    List<String> sliceColumns = slices.strings("columns");
    for (String column : sliceColumns) {
      if (!dataset.columnNames().contains(column)) {
        throw Errors.badSetting(
            slices.path("columns"),
            "'" + column + "' is not a column of the data set",
            "Use one of " + dataset.columnNames() + ".");
      }
    }
    return new PromoteSettings(
        LakehouseSettings.from(config),
        dataset,
        promote.oneOf("mode", Mode.class),
        challenger < 0 ? OptionalLong.empty() : OptionalLong.of(challenger),
        new Bootstrap(
            bootstrap.positiveInt("resamples"),
            bootstrap.longValue("seed"),
            confidence,
            bootstrap.positiveInt("max-rows")),
        promote.number("min-improvement"),
        optionalNumber(config, PATH + ".min-metric", promote),
        optionalNumber(config, PATH + ".max-metric", promote),
        new Slices(
            sliceColumns,
            nonNegative(config, PATH + ".slices.max-drop", promote),
            nonNegative(config, PATH + ".slices.max-relative-drop", promote),
            slices.positiveInt("min-rows")),
        metric,
        rollbackTo < 0 ? OptionalLong.empty() : OptionalLong.of(rollbackTo),
        reason,
        loaded.hash());
  }

  private static OptionalDouble nonNegative(
      Config config, String fullPath, SettingsReader promote) {
    OptionalDouble value = optionalNumber(config, fullPath, promote);
    if (value.isPresent() && !(value.getAsDouble() >= 0)) {
      throw Errors.badSetting(
          fullPath,
          "must be 0 or more, or null for no bound, was " + value.getAsDouble(),
          "Use e.g. 0.05.");
    }
    return value;
  }

  private static OptionalDouble optionalNumber(
      Config config, String fullPath, SettingsReader promote) {
    if (config.getIsNull(fullPath)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(promote.number(fullPath.substring(PATH.length() + 1)));
  }
}
