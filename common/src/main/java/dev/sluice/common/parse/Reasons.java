package dev.sluice.common.parse;

/** Reason codes of quarantined rows; column-specific ones end with {@code :<column>}. */
public final class Reasons {
  private Reasons() {}

  public static final String FIELD_COUNT = "FIELD_COUNT";
  public static final String BAD_QUOTING = "BAD_QUOTING";

  /** A JSON line that is not one JSON object. */
  public static final String BAD_JSON = "BAD_JSON";

  public static final String MISSING_LABEL = "MISSING_LABEL";
  public static final String UNKNOWN_LABEL = "UNKNOWN_LABEL";
  private static final String TYPE_MISMATCH = "TYPE_MISMATCH:";
  private static final String OUT_OF_RANGE = "OUT_OF_RANGE:";
  private static final String UNKNOWN_VALUE = "UNKNOWN_VALUE:";
  private static final String MISSING_VALUE = "MISSING_VALUE:";

  public static String typeMismatch(String column) {
    return TYPE_MISMATCH + column;
  }

  public static String outOfRange(String column) {
    return OUT_OF_RANGE + column;
  }

  public static String unknownValue(String column) {
    return UNKNOWN_VALUE + column;
  }

  public static String missingValue(String column) {
    return MISSING_VALUE + column;
  }
}
