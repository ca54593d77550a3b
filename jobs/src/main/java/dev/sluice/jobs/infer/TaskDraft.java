package dev.sluice.jobs.infer;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.InferErrors;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.settings.InferSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learning task as the label's sampled values suggest it, or as {@code --task} says: two values
 * make a binary task, whose positive class is the rarer one (the class a model is asked to find);
 * values that are not numbers, or a few whole numbers, make a multiclass task; other numbers a
 * regression.
 *
 * @param labelType string for a class label, double for a regression target
 * @param classes the classes sorted (numerically when they are numbers); empty for regression
 * @param positiveClass the positive class of a binary task, else empty
 */
record TaskDraft(
    TaskType task,
    String taskReason,
    ValueType labelType,
    List<String> classes,
    String classesReason,
    String positiveClass,
    String positiveReason) {
  TaskDraft {
    requireNonNull(task, "task is null");
    requireNonNull(taskReason, "taskReason is null");
    requireNonNull(labelType, "labelType is null");
    classes = List.copyOf(classes);
    requireNonNull(classesReason, "classesReason is null");
    requireNonNull(positiveClass, "positiveClass is null");
    requireNonNull(positiveReason, "positiveReason is null");
  }

  static TaskDraft of(ColumnSample label, InferSettings settings) {
    int distinct = label.distinct();
    if (distinct < 2) {
      throw InferErrors.cannotInfer(
          settings.file(),
          "its label column '"
              + label.sourceName()
              + "' holds "
              + (distinct == 0 ? "no value" : "one value, \"" + label.sortedValues().get(0) + "\",")
              + " in the "
              + label.rows()
              + " sampled rows, and a model needs two at least",
          "Check --label, or sample more rows with --sample-rows.");
    }
    TaskType task;
    String reason;
    if (settings.task().isPresent()) {
      task = settings.task().get();
      checkFits(task, label);
      reason = "as --task says";
    } else if (distinct == 2) {
      task = TaskType.BINARY;
      reason = "the label has two values in the sample";
    } else if (!label.type().isNumeric()) {
      task = TaskType.MULTICLASS;
      reason = "the label has " + distinct + " values, and not all are numbers";
    } else if (label.wholeNumbers() && distinct <= settings.maxIntegerClasses()) {
      task = TaskType.MULTICLASS;
      reason =
          "the label has "
              + distinct
              + " distinct whole numbers, at most sluice.infer.max-integer-classes ("
              + settings.maxIntegerClasses()
              + ")";
    } else {
      task = TaskType.REGRESSION;
      reason =
          "the label is a number with "
              + distinct
              + " distinct values"
              + (label.wholeNumbers()
                  ? ", more than sluice.infer.max-integer-classes ("
                      + settings.maxIntegerClasses()
                      + ")"
                  : ", not all whole");
    }
    String taskReason = task.name().toLowerCase(Locale.ROOT) + ": " + reason + ".";
    if (task == TaskType.REGRESSION) {
      return new TaskDraft(task, taskReason, ValueType.DOUBLE, List.of(), "", "", "");
    }
    List<String> classes = label.sortedValues();
    String classesReason =
        "The "
            + classes.size()
            + " classes of the sample: a row with another label is quarantined (UNKNOWN_LABEL), so"
            + " add any class the sample missed.";
    if (task != TaskType.BINARY) {
      return new TaskDraft(task, taskReason, ValueType.STRING, classes, classesReason, "", "");
    }
    Map<String, Integer> counts = label.counts();
    String first = classes.get(0);
    String second = classes.get(1);
    // The rarer class is positive; of two equally frequent ones, the later in sort order ("1" over
    // "0", "yes" over "no").
    String positive = counts.get(first) < counts.get(second) ? first : second;
    String positiveReason =
        counts.get(first).equals(counts.get(second))
            ? "The two classes are equally frequent in the sample: the later in sort order is"
                + " positive. The positive class is the one binary metrics (AUC, f1) are about."
            : String.format(
                Locale.ROOT,
                "The rarer class (%,d of %,d labelled rows): binary metrics (AUC, f1) are about"
                    + " finding it.",
                counts.get(positive),
                label.nonNull());
    return new TaskDraft(
        task, taskReason, ValueType.STRING, classes, classesReason, positive, positiveReason);
  }

  private static void checkFits(TaskType task, ColumnSample label) {
    String name = task.name().toLowerCase(Locale.ROOT);
    int distinct = label.distinct();
    if (task == TaskType.BINARY && distinct != 2) {
      throw InferErrors.taskDoesNotFitLabel(
          name,
          "the label has " + distinct + " values in the sample, and a binary task has two",
          "Leave --task out to infer the task, or pass --task multiclass.");
    }
    if (task == TaskType.MULTICLASS && distinct < 3) {
      throw InferErrors.taskDoesNotFitLabel(
          name,
          "the label has two values in the sample, and a multiclass task has three or more",
          "Pass --task binary, or leave --task out.");
    }
    if (task == TaskType.REGRESSION && !label.type().isNumeric()) {
      throw InferErrors.taskDoesNotFitLabel(
          name,
          "the label's sampled values are not all numbers",
          "Leave --task out to infer the task, or pass --task multiclass.");
    }
  }
}
