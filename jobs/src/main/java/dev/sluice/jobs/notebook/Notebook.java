package dev.sluice.jobs.notebook;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Sessions;
import dev.sluice.common.chart.Svg;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.settings.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a notebook needs from the lakehouse: a session whose catalog has every table registered by
 * name (as the SQL shell opens it), a way to ask for a table that may not exist yet, and results as
 * HTML. The master and session properties come from the kernel's launcher, never from here.
 */
public final class Notebook {
  /** Rows an HTML table shows at most. */
  public static final int MAX_HTML_ROWS = 50;

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final List<String> tables;

  private Notebook(SparkSession spark, Lakehouse lakehouse) {
    this.spark = requireNonNull(spark, "spark is null");
    this.lakehouse = requireNonNull(lakehouse, "lakehouse is null");
    this.tables = lakehouse.registerAll();
    spark.sql("USE " + lakehouse.database());
  }

  /**
   * Opens the lakehouse the settings name ({@code $SLUICE_LAKEHOUSE}, else {@code
   * conf/application.conf} under {@code $SLUICE_HOME}), registering every table under its root.
   */
  public static Notebook open() {
    List<String> args = new ArrayList<>();
    String home = System.getenv().getOrDefault("SLUICE_HOME", ".");
    Path application = Path.of(home, "conf", "application.conf");
    if (Files.isReadable(application)) {
      args.add("--config");
      args.add(application.toString());
    }
    LakehouseSettings settings =
        LakehouseSettings.from(
            SettingsLoader.load(args.toArray(String[]::new), Map.of(), "notebook").config());
    SparkSession spark = Sessions.forJob("notebook");
    return new Notebook(spark, new Lakehouse(spark, settings));
  }

  public SparkSession spark() {
    return spark;
  }

  /** The tables registered when the notebook opened, in name order. */
  public List<String> tables() {
    return tables;
  }

  public String root() {
    return lakehouse.root();
  }

  /** The table {@code sluice.<name>}, or empty when no job has written it yet. */
  public Optional<Dataset<Row>> table(String name) {
    return tables.contains(name)
        ? Optional.of(spark.table(lakehouse.qualifiedName(name)))
        : Optional.empty();
  }

  public Dataset<Row> sql(String statement) {
    return spark.sql(statement);
  }

  /** The first {@link #MAX_HTML_ROWS} rows as an HTML table. */
  public static String html(Dataset<Row> rows) {
    String[] columns = rows.columns();
    StringBuilder html = new StringBuilder("<table><thead><tr>");
    for (String column : columns) {
      html.append("<th>").append(Svg.escape(column)).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (Row row : rows.takeAsList(MAX_HTML_ROWS)) {
      html.append("<tr>");
      for (int i = 0; i < columns.length; i++) {
        Object value = row.get(i);
        html.append("<td>").append(Svg.escape(value == null ? "" : format(value))).append("</td>");
      }
      html.append("</tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static String format(Object value) {
    if (value instanceof Double d) {
      return String.format(java.util.Locale.ROOT, "%.4f", d);
    }
    return value.toString();
  }

  /** A note in place of a chart or table whose data is not there yet. */
  public static String missing(String table, String why) {
    return "<p><b>sluice."
        + Svg.escape(table)
        + " does not exist yet</b>: "
        + Svg.escape(why)
        + "</p>";
  }
}
