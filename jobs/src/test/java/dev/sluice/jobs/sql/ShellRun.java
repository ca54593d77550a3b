package dev.sluice.jobs.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.settings.LakehouseSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Statements run by the SQL shell scripts/sql.sh starts, in this JVM: what it printed, its exit
 * code.
 */
public record ShellRun(int exitCode, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs {@code sql} on the lakehouse, rows as CSV with a header. */
  public static ShellRun csv(SparkSession spark, LakehouseSettings lakehouse, String sql) {
    return run(spark, lakehouse, ResultFormat.CSV, Map.of(), sql);
  }

  static ShellRun run(
      SparkSession spark,
      LakehouseSettings lakehouse,
      ResultFormat format,
      Map<String, String> variables,
      String sql) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SqlShell shell =
        new SqlShell(
            spark,
            lakehouse,
            format,
            variables,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    shell.open();
    int exitCode = shell.runScript(sql);
    return new ShellRun(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The JSON lines printed, one node per row. */
  public List<JsonNode> rows() {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        try {
          rows.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new IllegalStateException("Not JSON: " + line, e);
        }
      }
    }
    return rows;
  }
}
