package dev.sluice.common.parse;

/** Whether a data line must carry its label. */
public enum LabelPolicy {
  /** Training data: a missing or blank label quarantines the line ({@code MISSING_LABEL}). */
  REQUIRED,
  /**
   * Rows to score, whose labels arrive later or never: the label field may hold a null token, or
   * the file may leave the label column out altogether (one field fewer); either way the label is
   * null.
   */
  OPTIONAL
}
