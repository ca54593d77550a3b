package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;

/**
 * How each estimator's candidate parameter maps are chosen from its grid, and how long its
 * cross-validation may run.
 *
 * @param strategy every combination of the grid, or {@code trials} of them drawn at random
 * @param trials the combinations a random search draws (all of them when the grid has fewer)
 * @param maxSeconds the seconds after which an estimator's cross-validation starts no new
 *     candidate; 0 for no limit
 */
public record SearchSettings(Strategy strategy, int trials, double maxSeconds) {
  public static final String PATH = TrainSettings.PATH + ".search";

  /** Every combination, or a seeded random draw of them. */
  public enum Strategy {
    GRID,
    RANDOM
  }

  public SearchSettings {
    requireNonNull(strategy, "strategy is null");
  }

  /** Whether a time budget limits the candidates. */
  public boolean budgeted() {
    return maxSeconds > 0;
  }

  static SearchSettings read(SettingsReader train) {
    SettingsReader search = train.at("search");
    double maxSeconds = search.number("max-seconds");
    if (maxSeconds < 0) {
      throw Errors.badSetting(
          search.path("max-seconds"),
          "must be 0 (no limit) or a number of seconds, was " + maxSeconds,
          "Use e.g. 600.");
    }
    return new SearchSettings(
        search.oneOf("strategy", Strategy.class), search.positiveInt("trials"), maxSeconds);
  }
}
