package dev.sluice.common;

import java.util.List;

/**
 * The errors of drafting a data-set file from a sample ({@code infer}): what, why and how to fix.
 */
public final class InferErrors {
  private InferErrors() {}

  /** {@code infer} would overwrite a data-set file, which its user may have edited. */
  public static SluiceException dataSetFileExists(String file) {
    return Errors.settings(
        "Cannot write data-set file "
            + file
            + ": it exists, and it may hold edits. Nothing was written. Pass --force to overwrite"
            + " it, or --output to write another file.",
        null);
  }

  /** {@code infer} cannot draft a data-set file from the sample of {@code file}. */
  public static SluiceException cannotInfer(String file, String problem, String fix) {
    return Errors.data("Cannot infer a data-set file from " + file + ": " + problem + ". " + fix);
  }

  /** {@code infer}'s label names no column of the sampled file. */
  public static SluiceException unknownLabelColumn(
      String label, String file, List<String> columns, boolean header) {
    return Errors.settings(
        "Invalid argument '--label "
            + label
            + "': "
            + file
            + (header
                ? " has no column of that name; its header names " + columns
                : " has no header (its first line reads as data), so its columns are named "
                    + columns)
            + ". Pass one of them.",
        null);
  }

  /** {@code infer}'s {@code --task} does not fit the label's values in the sample. */
  public static SluiceException taskDoesNotFitLabel(String task, String problem, String fix) {
    return Errors.settings("Invalid argument '--task " + task + "': " + problem + ". " + fix, null);
  }
}
