package dev.sluice.common.dataset;

/** The learning task of a data set. */
public enum TaskType {
  BINARY,
  MULTICLASS,
  REGRESSION;

  public boolean isClassification() {
    return this != REGRESSION;
  }
}
