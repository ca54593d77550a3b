package dev.sluice.common.run;

import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums the cost of every task a job runs: executor run and CPU time, shuffle bytes, failed
 * attempts.
 */
public final class TaskMetricsListener extends SparkListener {
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final LongAdder runTimeMs = new LongAdder();
  private final LongAdder cpuTimeNs = new LongAdder();
  private final LongAdder shuffleReadBytes = new LongAdder();
  private final LongAdder shuffleWriteBytes = new LongAdder();
  private final LongAdder failedTasks = new LongAdder();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (!taskEnd.taskInfo().successful()) {
      failedTasks.increment();
    }
    TaskMetrics metrics = taskEnd.taskMetrics();
    if (metrics == null) {
      return;
    }
    runTimeMs.add(metrics.executorRunTime());
    cpuTimeNs.add(metrics.executorCpuTime());
    shuffleReadBytes.add(metrics.shuffleReadMetrics().totalBytesRead());
    shuffleWriteBytes.add(metrics.shuffleWriteMetrics().bytesWritten());
  }

  public long runTimeMs() {
    return runTimeMs.sum();
  }

  public long cpuTimeMs() {
    return cpuTimeNs.sum() / NANOS_PER_MILLI;
  }

  public long shuffleReadBytes() {
    return shuffleReadBytes.sum();
  }

  public long shuffleWriteBytes() {
    return shuffleWriteBytes.sum();
  }

  public long failedTasks() {
    return failedTasks.sum();
  }
}
