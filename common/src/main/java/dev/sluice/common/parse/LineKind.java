package dev.sluice.common.parse;

/** What a line of a source file turned out to be. */
public enum LineKind {
  ACCEPTED,
  QUARANTINED,
  /** A blank line. */
  BLANK,
  /** A comment or junk line matching a configured prefix. */
  COMMENT,
  /** The header line of a file with a header. */
  HEADER;

  public boolean isSkipped() {
    return this == BLANK || this == COMMENT || this == HEADER;
  }
}
