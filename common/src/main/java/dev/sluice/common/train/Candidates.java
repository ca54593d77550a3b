package dev.sluice.common.train;

import dev.sluice.common.settings.SearchSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** The parameter maps an estimator's cross-validation tries: its grid, or a seeded draw from it. */
public final class Candidates {
  private Candidates() {}

  /**
   * Indices into a grid of {@code gridSize} maps: all of them for a grid search; for a random
   * search, {@code trials} distinct ones drawn with {@code seed} (all when the grid has no more),
   * in the grid's order.
   */
  public static int[] of(int gridSize, SearchSettings search, long seed) {
    if (search.strategy() == SearchSettings.Strategy.GRID || gridSize <= search.trials()) {
      return IntStream.range(0, gridSize).toArray();
    }
    List<Integer> indices = new ArrayList<>(IntStream.range(0, gridSize).boxed().toList());
    Collections.shuffle(indices, new Random(seed));
    return indices.subList(0, search.trials()).stream()
        .mapToInt(Integer::intValue)
        .sorted()
        .toArray();
  }
}
