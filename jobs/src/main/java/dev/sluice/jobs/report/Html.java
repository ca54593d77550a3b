package dev.sluice.jobs.report;

import dev.sluice.common.chart.Svg;
import java.util.List;

/**
 * A minimal HTML document builder with inline styles: the report needs no network and no script.
 */
final class Html {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  Html(String title) {
    this.title = title;
  }

  void section(String heading) {
    body.append("<h2>").append(Svg.escape(heading)).append("</h2>\n");
  }

  void paragraph(String text) {
    body.append("<p>").append(Svg.escape(text)).append("</p>\n");
  }

  void raw(String html) {
    body.append(html).append('\n');
  }

  void table(List<String> header, List<List<String>> rows) {
    body.append("<table><tr>");
    header.forEach(h -> body.append("<th>").append(Svg.escape(h)).append("</th>"));
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      row.forEach(cell -> body.append("<td>").append(Svg.escape(cell)).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</table>\n");
  }

  String render() {
    return "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>Sluice model report: "
        + Svg.escape(title)
        + "</title><style>body{font-family:sans-serif;margin:2em;max-width:1200px}"
        + "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
        + "th{background:#f3f3f3}svg.chart{margin:0.5em 1em 0.5em 0;vertical-align:top}</style></head><body>"
        + "<h1>Sluice model report: "
        + Svg.escape(title)
        + "</h1>\n"
        + body
        + "</body></html>\n";
  }
}
