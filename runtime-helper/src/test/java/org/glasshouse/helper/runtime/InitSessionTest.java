package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How the helper names an init stage's death before exec. */
class InitSessionTest {
  static final int SIGKILL = 9;
  static final int SIGSEGV = 11;

  @Test
  void anOomKillBeforeExecNamesTheMemoryLimit() {
    assertEquals(
        "the init stage was OOM-killed before exec: the memory limit (4.00 MiB) is smaller than what"
            + " the runtime needs to start the command",
        InitSession.oomBeforeExec(SIGKILL, 1, 4L << 20));
    assertEquals(
        "the init stage was OOM-killed before exec: the memory limit (4.50 MiB) is smaller than"
            + " what the runtime needs to start the command",
        InitSession.oomBeforeExec(SIGKILL, 2, (9L << 20) / 2));
  }

  @Test
  void otherDeathsAreNotCalledOomKills() {
    assertNull(InitSession.oomBeforeExec(SIGKILL, 0, 4L << 20), "SIGKILL without an OOM count");
    assertNull(InitSession.oomBeforeExec(SIGSEGV, 1, 4L << 20), "another signal");
    assertNull(InitSession.oomBeforeExec(125 << 8, 1, 4L << 20), "an exit");
    assertEquals(
        "the init stage was killed by signal 9 before exec", InitSession.describeStatus(SIGKILL));
    assertEquals(
        "the init stage exited with status 125 before exec", InitSession.describeStatus(125 << 8));
  }
}
