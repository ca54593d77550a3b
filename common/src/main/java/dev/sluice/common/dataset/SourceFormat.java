package dev.sluice.common.dataset;

/** The file format of a data set's sources. */
public enum SourceFormat {
  CSV,
  /** One JSON object per line. */
  JSON
}
