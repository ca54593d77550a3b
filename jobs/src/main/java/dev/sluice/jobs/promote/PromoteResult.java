package dev.sluice.jobs.promote;

import dev.sluice.common.run.JobResult;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The decision of one promote run. */
public record PromoteResult(
    String model,
    long challenger,
    OptionalLong champion,
    String mode,
    String verdict,
    String reason,
    List<String> checks,
    boolean alreadyDecided)
    implements JobResult {
  public PromoteResult {
    checks = List.copyOf(checks);
  }

  public boolean promoted() {
    return verdict.equals("PROMOTED");
  }

  @Override
  public Optional<String> outcome() {
    return Optional.of(verdict);
  }

  @Override
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append("== sluice promote: ").append(model).append(" ==\n");
    text.append("challenger     v").append(challenger).append('\n');
    text.append("champion       ")
        .append(champion.isPresent() ? "v" + champion.getAsLong() : "none")
        .append('\n');
    text.append("mode           ").append(mode).append('\n');
    if (alreadyDecided) {
      text.append(
          "(already decided for this challenger, champion and settings: nothing changed)\n");
    }
    checks.forEach(check -> text.append("  ").append(check).append('\n'));
    text.append("verdict        ").append(verdict).append(" (").append(reason).append(")\n");
    return text.toString();
  }
}
