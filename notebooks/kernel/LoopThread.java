package org.rapaio.jupyter.kernel.channels;

/**
 * Replaces the rapaio kernel's own LoopThread (3.0.1), placed ahead of its jar on the kernel's
 * classpath. The original sets {@code running = true} only after {@code super.start()}, so a thread
 * scheduled at once sees {@code running == false} and ends before its first poll: the kernel then
 * never reads its shell socket and nbconvert waits out its startup timeout. Measured here on an
 * idle machine: 2 kernel starts in 6 hung that way. Here the flag is set before the thread starts.
 */
public final class LoopThread extends Thread {
  private volatile boolean running = false;
  private final long sleep;
  private final Runnable loopBody;

  public LoopThread(String name, long sleep, Runnable loopBody) {
    super(name);
    this.sleep = sleep;
    this.loopBody = loopBody;
  }

  @Override
  public void run() {
    while (running) {
      loopBody.run();
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        running = false;
        return;
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    super.start();
  }

  public void shutdown() {
    running = false;
  }
}
