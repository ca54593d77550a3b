package dev.sluice.common.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.settings.SearchSettings;
import dev.sluice.common.settings.SearchSettings.Strategy;
import org.junit.jupiter.api.Test;

class CandidatesTest {
  @Test
  void aGridSearchTriesEveryMapInOrder() {
    assertThat(Candidates.of(4, new SearchSettings(Strategy.GRID, 2, 0), 42))
        .containsExactly(0, 1, 2, 3);
  }

  @Test
  void aRandomSearchDrawsTrialsDistinctMapsTheSameWayForTheSameSeed() {
    int[] drawn = Candidates.of(100, new SearchSettings(Strategy.RANDOM, 5, 0), 42);
    assertThat(drawn).hasSize(5).doesNotHaveDuplicates().isSorted();
    assertThat(drawn[0]).isGreaterThanOrEqualTo(0);
    assertThat(drawn[4]).isLessThan(100);
    assertThat(Candidates.of(100, new SearchSettings(Strategy.RANDOM, 5, 0), 42))
        .containsExactly(drawn);
    assertThat(Candidates.of(100, new SearchSettings(Strategy.RANDOM, 5, 0), 7))
        .isNotEqualTo(drawn);
  }

  @Test
  void aRandomSearchOfASmallGridTriesItAll() {
    assertThat(Candidates.of(3, new SearchSettings(Strategy.RANDOM, 5, 0), 42))
        .containsExactly(0, 1, 2);
  }
}
