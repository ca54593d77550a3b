package dev.sluice.common.dataset;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/** How a delimited text file is split into fields. An empty quote disables quoting. */
public record CsvSpec(String delimiter, String quote, boolean header, boolean trim)
    implements Serializable {
  public CsvSpec {
    requireNonNull(delimiter, "delimiter is null");
    requireNonNull(quote, "quote is null");
    if (delimiter.isEmpty()) {
      throw new IllegalArgumentException("delimiter is empty");
    }
    if (quote.length() > 1) {
      throw new IllegalArgumentException("quote must be one character or empty");
    }
  }
}
