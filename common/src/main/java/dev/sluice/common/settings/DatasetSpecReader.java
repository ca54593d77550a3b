package dev.sluice.common.settings;

import com.typesafe.config.Config;
import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.CsvSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.LabelSpec;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.dataset.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks a data-set file's {@code sluice.dataset} section into a {@link DatasetSpec}. */
public final class DatasetSpecReader {
  private static final String PATH = DatasetSpec.PATH;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * Column names reach Spark as column references: letters, digits, '_' and '-' (as in
   * "native-country") only, so a name can never carry a quote, a backtick, a dot, a ';' or a call.
   */
  private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,127}");

  private static final Set<String> COLUMN_KEYS =
      Set.of("name", "source-name", "role", "type", "nullable", "min", "max", "values");

  private DatasetSpecReader() {}

  /** Whether {@code name} may name a data set: it names the data set's tables. */
  public static boolean isDatasetName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * Whether {@code name} may name a table column: a plain identifier that Sluice does not reserve.
   * Any other header name is given as a column's {@code source-name}.
   */
  public static boolean isPlainColumnName(String name) {
    return COLUMN_NAME.matcher(name).matches() && !Columns.RESERVED.contains(name);
  }

  /** Reads and checks the {@code sluice.dataset} section. */
  public static DatasetSpec read(Config root) {
    SettingsReader settings = SettingsReader.of(root.getConfig(PATH), PATH);
    String name = settings.string("name");
    if (name.isEmpty()) {
      throw Errors.missingSetting(
          settings.path("name"), "Name the data set in its data-set file (it names its tables).");
    }
    if (!NAME.matcher(name).matches()) {
      throw Errors.badSetting(
          settings.path("name"),
          "'" + name + "' is not a valid data-set name",
          "Use lower-case letters, digits and underscores, starting with a letter (it names tables).");
    }
    SettingsReader csvSettings = settings.at("csv");
    String delimiter = csvSettings.string("delimiter");
    if (delimiter.isEmpty()) {
      throw Errors.badSetting(
          csvSettings.path("delimiter"), "it is empty", "Set the field separator.");
    }
    String quote = csvSettings.string("quote");
    if (quote.length() > 1) {
      throw Errors.badSetting(
          csvSettings.path("quote"), "must be one character or empty", "Use e.g. \"\\\"\".");
    }
    CsvSpec csv =
        new CsvSpec(delimiter, quote, csvSettings.bool("header"), csvSettings.bool("trim"));

    Map<String, List<String>> sources = new LinkedHashMap<>();
    SettingsReader sourceSettings = settings.at("sources");
    for (String source : root.getConfig(PATH + ".sources").root().keySet()) {
      sources.put(source, sourceSettings.strings(source));
    }

    SettingsReader columnDefaults = settings.at("column-defaults");
    List<? extends Config> columnConfigs = settings.objects("columns");
    if (columnConfigs.isEmpty()) {
      throw Errors.missingSetting(
          settings.path("columns"),
          "List the data set's columns in file order, e.g. { name = age, role = numeric }.");
    }
    List<ColumnSpec> columns = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> seenInFiles = new HashSet<>();
    for (int i = 0; i < columnConfigs.size(); i++) {
      Config columnConfig = columnConfigs.get(i);
      String path = PATH + ".columns[" + i + "]";
      ColumnSpec column = column(columnConfig, path, columnDefaults);
      if (!seen.add(column.name())) {
        throw Errors.badSetting(
            path + ".name",
            "column '" + column.name() + "' is declared twice",
            "Give each column once.");
      }
      if (!seenInFiles.add(column.sourceName())) {
        throw Errors.badSetting(
            path + (column.renamed() ? ".source-name" : ".name"),
            "two columns come from the files' column '" + column.sourceName() + "'",
            "Give each header name (a column's source-name, or its name) to one column.");
      }
      columns.add(column);
    }

    List<ColumnSpec> labels = columns.stream().filter(c -> c.role() == ColumnRole.LABEL).toList();
    if (labels.size() != 1) {
      throw Errors.badSetting(
          settings.path("columns"),
          "declares " + labels.size() + " label columns",
          "Mark exactly one column with role = label.");
    }
    TaskType task = settings.oneOf("task", TaskType.class);
    ColumnSpec labelColumn = labels.get(0);
    SettingsReader labelSettings = settings.at("label");
    LabelSpec label =
        new LabelSpec(
            labelColumn.name(),
            labelSettings.strings("strip-suffixes"),
            labelSettings.strings("classes"),
            labelSettings.string("positive-class"));
    checkLabel(task, labelColumn, label, labelSettings);

    return new DatasetSpec(
        name,
        settings.oneOf("format", SourceFormat.class),
        csv,
        settings.strings("comment-prefixes"),
        settings.strings("null-tokens"),
        sources,
        task,
        label,
        columns);
  }

  private static ColumnSpec column(Config config, String path, SettingsReader defaults) {
    for (String key : config.root().keySet()) {
      if (!COLUMN_KEYS.contains(key)) {
        throw Errors.unknownSetting(path + "." + key, "");
      }
    }
    SettingsReader column = SettingsReader.of(config, path);
    String name = column.nonEmptyString("name");
    // Any text, even none: pandas writes its index column under an empty header name.
    String sourceName = column.has("source-name") ? column.string("source-name") : name;
    if (!COLUMN_NAME.matcher(name).matches()) {
      throw Errors.badSetting(
          column.path("name"),
          "'"
              + name
              + "' is not a plain column name: table columns are named with letters, digits, '_'"
              + " and '-' (at most 128, starting with a letter or '_'), so that no name can reach"
              + " SQL as anything but a name",
          "Give the column a plain name and keep the file's name as its source-name, e.g. { name"
              + " = "
              + plainExample(name)
              + ", source-name = \""
              + sourceName.replace("\\", "\\\\").replace("\"", "\\\"")
              + "\" }.");
    }
    if (Columns.RESERVED.contains(name)) {
      throw Errors.badSetting(
          column.path("name"),
          "'" + name + "' is reserved for a column Sluice adds (" + Columns.RESERVED + ")",
          "Rename the column in the data-set file, e.g. { name = "
              + name
              + "_1, source-name = "
              + name
              + " }.");
    }
    ColumnRole role = column.oneOf("role", ColumnRole.class);
    ValueType type =
        column.has("type")
            ? column.oneOf("type", ValueType.class)
            : defaults.oneOf(
                "type-by-role." + role.name().toLowerCase(Locale.ROOT), ValueType.class);
    if (role == ColumnRole.NUMERIC && !type.isNumeric()) {
      throw Errors.badSetting(
          column.path("type"),
          "a numeric column cannot have type " + type,
          "Use int, long or double.");
    }
    boolean nullable = column.has("nullable") ? column.bool("nullable") : defaults.bool("nullable");
    double min = column.has("min") ? column.number("min") : Double.NEGATIVE_INFINITY;
    double max = column.has("max") ? column.number("max") : Double.POSITIVE_INFINITY;
    if ((column.has("min") || column.has("max")) && !type.isNumeric()) {
      throw Errors.badSetting(
          path,
          "min/max are set on non-numeric column '" + name + "'",
          "Remove them or make it numeric.");
    }
    if (min > max) {
      throw Errors.badSetting(
          column.path("min"), "min " + min + " is above max " + max, "Swap them.");
    }
    List<String> values = column.has("values") ? column.strings("values") : List.of();
    return new ColumnSpec(name, role, type, nullable, min, max, values, sourceName);
  }

  /** A plain name like {@code name}, for an error's example: non-identifier runs become '_'. */
  private static String plainExample(String name) {
    String plain = name.replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
    if (plain.isEmpty() || !Character.isLetter(plain.charAt(0))) {
      plain = "c_" + plain;
    }
    return plain.length() > 128 ? plain.substring(0, 128) : plain;
  }

  private static void checkLabel(
      TaskType task, ColumnSpec labelColumn, LabelSpec label, SettingsReader settings) {
    if (task == TaskType.REGRESSION) {
      if (!labelColumn.type().isNumeric()) {
        throw Errors.badSetting(
            "sluice.dataset.columns",
            "the label of a regression task must be numeric, '"
                + labelColumn.name()
                + "' is "
                + labelColumn.type(),
            "Set type = double on the label column.");
      }
      return;
    }
    if (task == TaskType.BINARY) {
      if (label.classes().size() != 2) {
        throw Errors.badSetting(
            settings.path("classes"),
            "a binary task needs exactly two classes, got " + label.classes(),
            "List both classes.");
      }
      if (!label.classes().contains(label.positiveClass())) {
        throw Errors.badSetting(
            settings.path("positive-class"),
            "'" + label.positiveClass() + "' is not one of the classes " + label.classes(),
            "Name the positive class.");
      }
    }
  }
}
