import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One statement through Trino's JDBC driver, its rows printed as CSV with a header: {@code java -cp
 * trino-jdbc.jar scripts/TrinoQuery.java --url jdbc:trino://... --user NAME (-e SQL | -f FILE)
 * [--var name=value]...} (Java's single-file launcher; scripts/trino.sh query runs it). As in
 * scripts/sql.sh, {@code ${name}} placeholders take the values of --var, and a missing one fails
 * with its name. The password, when the server asks for one, comes from SLUICE_TRINO_PASSWORD.
 */
final class TrinoQuery {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final String USAGE =
      "TrinoQuery --url jdbc:trino://HOST:PORT/delta/sluice --user NAME (-e SQL | -f FILE)"
          + " [--var name=value]...";

  private TrinoQuery() {}

  public static void main(String[] args) throws IOException {
    String url = null;
    String user = null;
    String sql = null;
    Map<String, String> variables = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--url" -> url = value;
        case "--user" -> user = value;
        case "-e" -> sql = value;
        case "-f" -> sql = value == null ? null : Files.readString(Path.of(value));
        case "--var" -> {
          int eq = value == null ? -1 : value.indexOf('=');
          if (eq < 1) {
            fail(2, "--var takes name=value, got " + value + "\n  usage: " + USAGE);
          }
          variables.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> fail(2, "unknown argument " + args[i] + "\n  usage: " + USAGE);
      }
      i++;
    }
    if (url == null || user == null || sql == null) {
      fail(2, "usage: " + USAGE);
    }
    String statement = substitute(sql, variables).strip();
    while (statement.endsWith(";")) {
      statement = statement.substring(0, statement.length() - 1).strip();
    }
    Properties properties = new Properties();
    properties.setProperty("user", user);
    String password = System.getenv("SLUICE_TRINO_PASSWORD");
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    try (Connection connection = DriverManager.getConnection(url, properties);
        Statement query = connection.createStatement();
        ResultSet rows = query.executeQuery(statement)) {
      print(rows);
    } catch (SQLException e) {
      fail(1, "the query failed: " + e.getMessage());
    }
  }

  private static String substitute(String sql, Map<String, String> variables) {
    Matcher matcher = VARIABLE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = variables.get(matcher.group(1));
      if (value == null) {
        fail(2, "the query needs --var " + matcher.group(1) + "=...");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return matcher.appendTail(out).toString();
  }

  private static void print(ResultSet rows) throws SQLException {
    ResultSetMetaData columns = rows.getMetaData();
    StringBuilder line = new StringBuilder();
    for (int c = 1; c <= columns.getColumnCount(); c++) {
      line.append(c > 1 ? "," : "").append(csv(columns.getColumnLabel(c)));
    }
    System.out.println(line);
    while (rows.next()) {
      line.setLength(0);
      for (int c = 1; c <= columns.getColumnCount(); c++) {
        String value = rows.getString(c);
        line.append(c > 1 ? "," : "").append(value == null ? "" : csv(value));
      }
      System.out.println(line);
    }
  }

  private static String csv(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }

  private static void fail(int code, String message) {
    System.err.println("sluice: trino: " + message);
    System.exit(code);
  }
}
