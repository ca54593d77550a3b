package dev.sluice.common.dataset;

/** What a column is for. */
public enum ColumnRole {
  NUMERIC,
  CATEGORICAL,
  LABEL,
  ID,
  TIMESTAMP,
  /** Parsed and kept in the raw table, never used as a feature. */
  IGNORE
}
