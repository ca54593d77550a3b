package dev.sluice.common.chart;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Small self-contained SVG charts: no script, no network, so a report or a notebook opens anywhere.
 */
public final class Svg {
  private static final int WIDTH = 360;
  private static final int HEIGHT = 300;
  private static final int MARGIN = 40;

  private Svg() {}

  /** A point of a chart. */
  public record Point(double x, double y) {}

  /**
   * A line chart on [0, 1] x [0, 1] (or the given ranges), with an optional diagonal; the polyline
   * carries its point count in {@code data-points} so tests can check it.
   */
  public static String lineChart(
      String id,
      String title,
      String xLabel,
      String yLabel,
      List<Point> points,
      boolean diagonal,
      double xMin,
      double xMax,
      double yMin,
      double yMax,
      boolean markers) {
    StringBuilder svg = new StringBuilder();
    svg.append(open(id, title));
    axes(svg, xLabel, yLabel, xMin, xMax, yMin, yMax);
    if (diagonal) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#bbb' stroke-dasharray='4 4'/>",
              x(xMin, xMin, xMax),
              y(yMin, yMin, yMax),
              x(xMax, xMin, xMax),
              y(yMax, yMin, yMax)));
    }
    StringBuilder coordinates = new StringBuilder();
    for (Point p : points) {
      coordinates.append(
          String.format(Locale.ROOT, "%.1f,%.1f ", x(p.x(), xMin, xMax), y(p.y(), yMin, yMax)));
    }
    svg.append(
        String.format(
            "<polyline class='series' data-points='%d' fill='none' stroke='#1f6feb' stroke-width='2' points='%s'/>",
            points.size(), coordinates.toString().trim()));
    if (markers) {
      for (Point p : points) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx='%.1f' cy='%.1f' r='3' fill='#1f6feb'/>",
                x(p.x(), xMin, xMax),
                y(p.y(), yMin, yMax)));
      }
    }
    return svg.append("</svg>").toString();
  }

  /** A scatter of points (residuals), carrying its point count. */
  public static String scatter(
      String id,
      String title,
      String xLabel,
      String yLabel,
      List<Point> points,
      double xMin,
      double xMax,
      double yMin,
      double yMax) {
    StringBuilder svg = new StringBuilder(open(id, title));
    axes(svg, xLabel, yLabel, xMin, xMax, yMin, yMax);
    svg.append(String.format("<g class='series' data-points='%d'>", points.size()));
    for (Point p : points) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle cx='%.1f' cy='%.1f' r='2' fill='#1f6feb' fill-opacity='0.5'/>",
              x(p.x(), xMin, xMax),
              y(p.y(), yMin, yMax)));
    }
    return svg.append("</g></svg>").toString();
  }

  /**
   * A named series of a multi-line chart: y values at the chart's shared x positions (NaN: none).
   */
  public record Series(String name, List<Double> values) {
    public Series {
      values = List.copyOf(values);
    }
  }

  private static final String[] PALETTE = {
    "#1f6feb", "#d73a49", "#2da44e", "#bf8700", "#8250df", "#1b7c83", "#cf222e", "#57606a"
  };

  /**
   * Several series over shared categorical x positions (windows, batches), each with markers, a
   * legend on the right and an optional dashed horizontal threshold line.
   */
  public static String lines(
      String id,
      String title,
      String yLabel,
      List<String> xLabels,
      List<Series> series,
      Optional<Double> threshold) {
    int width = 640;
    int height = 300;
    int left = 55;
    int right = 470;
    int top = 28;
    int bottom = height - 60;
    double min = threshold.orElse(Double.NaN);
    double max = min;
    for (Series s : series) {
      for (double v : s.values()) {
        if (!Double.isNaN(v)) {
          min = Double.isNaN(min) ? v : Math.min(min, v);
          max = Double.isNaN(max) ? v : Math.max(max, v);
        }
      }
    }
    if (Double.isNaN(min)) {
      min = 0;
      max = 1;
    }
    if (min > 0 && min < 0.5 * max) {
      min = 0;
    }
    if (max == min) {
      max = min + 1;
    }
    double lo = min;
    double hi = max;
    int n = Math.max(1, xLabels.size());
    java.util.function.IntFunction<Double> xAt =
        i -> n == 1 ? (left + right) / 2.0 : left + (right - left) * i / (double) (n - 1);
    java.util.function.DoubleUnaryOperator yAt =
        v -> bottom - (bottom - top) * (v - lo) / (hi - lo);
    StringBuilder svg =
        new StringBuilder(
            String.format(
                "<svg id='%s' class='chart' xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'"
                    + " role='img' aria-label='%s' font-family='sans-serif'>"
                    + "<rect width='%d' height='%d' fill='white'/>"
                    + "<text x='%d' y='18' font-weight='bold'>%s</text>",
                id, width, height, escape(title), width, height, left, escape(title)));
    for (int t = 0; t <= 4; t++) {
      double v = lo + (hi - lo) * t / 4;
      double y = yAt.applyAsDouble(v);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>"
                  + "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%.3g</text>",
              left,
              y,
              right,
              y,
              left - 4,
              y + 3,
              v));
    }
    svg.append(
        String.format(
            "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#444'/>",
            left, top, right - left, bottom - top));
    int every = Math.max(1, (int) Math.ceil(n / 8.0));
    for (int i = 0; i < xLabels.size(); i += every) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%.1f' y='%d' font-size='9' text-anchor='end' transform='rotate(-30 %.1f %d)'>%s</text>",
              xAt.apply(i),
              bottom + 12,
              xAt.apply(i),
              bottom + 12,
              escape(xLabels.get(i))));
    }
    svg.append(
        String.format(
            "<text x='12' y='%d' font-size='11' text-anchor='middle' transform='rotate(-90 12 %d)'>%s</text>",
            (top + bottom) / 2, (top + bottom) / 2, escape(yLabel)));
    threshold.ifPresent(
        t ->
            svg.append(
                String.format(
                    Locale.ROOT,
                    "<line class='threshold' x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#d73a49'"
                        + " stroke-dasharray='5 4'/><text x='%d' y='%.1f' font-size='9' fill='#d73a49'"
                        + " text-anchor='end'>threshold %.3g</text>",
                    left,
                    yAt.applyAsDouble(t),
                    right,
                    yAt.applyAsDouble(t),
                    right - 2,
                    yAt.applyAsDouble(t) - 3,
                    t)));
    for (int s = 0; s < series.size(); s++) {
      String color = PALETTE[s % PALETTE.length];
      Series line = series.get(s);
      StringBuilder points = new StringBuilder();
      StringBuilder markers = new StringBuilder();
      int count = 0;
      for (int i = 0; i < line.values().size() && i < n; i++) {
        double v = line.values().get(i);
        if (Double.isNaN(v)) {
          continue;
        }
        count++;
        String xy = String.format(Locale.ROOT, "%.1f,%.1f", xAt.apply(i), yAt.applyAsDouble(v));
        points.append(xy).append(' ');
        String[] c = xy.split(",");
        markers.append(
            String.format("<circle cx='%s' cy='%s' r='3' fill='%s'/>", c[0], c[1], color));
      }
      svg.append(
          String.format(
              "<g class='series' data-points='%d'><polyline fill='none' stroke='%s' stroke-width='2'"
                  + " points='%s'/>%s</g>",
              count, color, points.toString().trim(), markers));
      int legendY = top + 10 + 16 * s;
      svg.append(
          String.format(
              "<rect x='%d' y='%d' width='10' height='10' fill='%s'/>"
                  + "<text x='%d' y='%d' font-size='11'>%s</text>",
              right + 12, legendY - 9, color, right + 26, legendY, escape(line.name())));
    }
    return svg.append("</svg>").toString();
  }

  /** Horizontal bars, largest first, carrying the bar count. */
  public static String bars(String id, String title, List<String> labels, List<Double> values) {
    int rowHeight = 18;
    int height = Math.max(60, labels.size() * rowHeight + 40);
    double max = values.stream().mapToDouble(v -> Math.abs(v)).max().orElse(1.0);
    StringBuilder svg =
        new StringBuilder(
            String.format(
                "<svg id='%s' class='chart' xmlns='http://www.w3.org/2000/svg' width='560' height='%d'"
                    + " role='img' aria-label='%s'><text x='10' y='16' font-weight='bold'>%s</text>"
                    + "<g class='series' data-points='%d'>",
                id, height, escape(title), escape(title), labels.size()));
    for (int i = 0; i < labels.size(); i++) {
      double width = max == 0 ? 0 : 300 * Math.abs(values.get(i)) / max;
      int top = 30 + i * rowHeight;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='190' y='%d' text-anchor='end' font-size='11'>%s</text>"
                  + "<rect x='195' y='%d' width='%.1f' height='12' fill='%s'/>"
                  + "<text x='%.1f' y='%d' font-size='11'>%.4f</text>",
              top + 10,
              escape(labels.get(i)),
              top,
              width,
              values.get(i) < 0 ? "#d73a49" : "#1f6feb",
              200 + width,
              top + 10,
              values.get(i)));
    }
    return svg.append("</g></svg>").toString();
  }

  private static String open(String id, String title) {
    return String.format(
        "<svg id='%s' class='chart' xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' role='img'"
            + " aria-label='%s'><text x='%d' y='16' font-weight='bold'>%s</text>",
        id, WIDTH, HEIGHT, escape(title), MARGIN, escape(title));
  }

  private static void axes(
      StringBuilder svg,
      String xLabel,
      String yLabel,
      double xMin,
      double xMax,
      double yMin,
      double yMax) {
    int left = MARGIN;
    int bottom = HEIGHT - MARGIN;
    int right = WIDTH - 10;
    int top = 25;
    svg.append(
        String.format(
            "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#444'/>",
            left, top, right - left, bottom - top));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%d' font-size='10'>%.3g</text><text x='%d' y='%d' font-size='10' text-anchor='end'>%.3g</text>",
            left,
            bottom + 12,
            xMin,
            right,
            bottom + 12,
            xMax));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%d' font-size='10' text-anchor='end'>%.3g</text><text x='%d' y='%d' font-size='10' text-anchor='end'>%.3g</text>",
            left - 2,
            bottom,
            yMin,
            left - 2,
            top + 8,
            yMax));
    svg.append(
        String.format(
            "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>",
            (left + right) / 2, HEIGHT - 8, escape(xLabel)));
    svg.append(
        String.format(
            "<text x='12' y='%d' font-size='11' text-anchor='middle' transform='rotate(-90 12 %d)'>%s</text>",
            (top + bottom) / 2, (top + bottom) / 2, escape(yLabel)));
  }

  private static double x(double value, double min, double max) {
    double span = max - min == 0 ? 1 : max - min;
    return MARGIN + (WIDTH - 10 - MARGIN) * (value - min) / span;
  }

  private static double y(double value, double min, double max) {
    double span = max - min == 0 ? 1 : max - min;
    return (HEIGHT - MARGIN) - (HEIGHT - MARGIN - 25) * (value - min) / span;
  }

  public static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace("\"", "&quot;");
  }
}
