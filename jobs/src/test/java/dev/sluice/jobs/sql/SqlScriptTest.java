package dev.sluice.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsAtSemicolonsOutsideQuotesAndComments() {
    String script =
        """
        -- a comment; not a statement
        SELECT 'a;b' AS x, "c;d", `e;f` FROM t; /* block; comment */
        SELECT 'it\\'s; fine';
        SELECT 3
        """;
    assertThat(SqlScript.statements(script))
        .containsExactly(
            "SELECT 'a;b' AS x, \"c;d\", `e;f` FROM t", "SELECT 'it\\'s; fine'", "SELECT 3");
  }

  @Test
  void anUnfinishedStatementIsKeptForTheNextLine() {
    SqlScript.Split split = SqlScript.split("SELECT 1;\nSELECT ';'\n  FROM");
    assertThat(split.complete()).containsExactly("SELECT 1");
    assertThat(split.rest()).isEqualTo("\nSELECT ';'\n  FROM");
    assertThat(SqlScript.split(" ;; \n").complete()).isEmpty();
  }

  @Test
  void substitutesVariablesAndNamesAMissingOne() {
    assertThat(
            SqlScript.substitute(
                "SELECT * FROM ${model}_raw WHERE f = '${f}'", Map.of("model", "adult", "f", "$1")))
        .isEqualTo("SELECT * FROM adult_raw WHERE f = '$1'");
    assertThatThrownBy(() -> SqlScript.substitute("SELECT '${at}'", Map.of("model", "adult")))
        .hasMessage(
            "Cannot run the statement: variable ${at} has no value. Pass --var at=<value>.");
  }

  @Test
  void formatsAlignedTablesAndCsv() {
    List<String> columns = List.of("name", "n");
    List<List<String>> rows =
        List.of(java.util.Arrays.asList("a,\"b\"", "10"), java.util.Arrays.asList("", null));
    assertThat(ResultFormat.table(columns, rows))
        .isEqualTo(
            """
            +-------+------+
            | name  | n    |
            +-------+------+
            | a,"b" | 10   |
            |       | NULL |
            +-------+------+
            """);
    assertThat(ResultFormat.csv(columns, rows)).isEqualTo("name,n\n\"a,\"\"b\"\"\",10\n\"\",\n");
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> SqlShell.Options.parse(new String[] {"--format", "xml"}))
        .hasMessageContaining("unknown format 'xml'");
    assertThatThrownBy(() -> SqlShell.Options.parse(new String[] {"-e", "SELECT 1", "-f", "x.sql"}))
        .hasMessageContaining("give one of them, not both");
    assertThatThrownBy(() -> SqlShell.Options.parse(new String[] {"--var", "novalue"}))
        .hasMessageContaining("expected name=value");
    SqlShell.Options options =
        SqlShell.Options.parse(
            new String[] {"--var", "a=b=c", "--set", "sluice.lakehouse.root=/x", "-e", "SELECT 1"});
    assertThat(options.variables()).containsExactly(Map.entry("a", "b=c"));
    assertThat(options.rest()).containsExactly("--set", "sluice.lakehouse.root=/x");
  }
}
