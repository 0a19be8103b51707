package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Feature;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Escape 4 of issue 12 (runc's CVE-2016-9962), as the attacker writes it: the container's root
 * watches /proc in a tight loop and, for every process that appears, tries {@code /proc/PID/root}
 * (does it reach the host's /?) and {@code /proc/PID/environ} (the init's token). Meanwhile the
 * host execs into the container. At levels 06–10 the container's root holds every capability,
 * CAP_SYS_PTRACE included, so the joiner's dumpable flag cannot keep it out: the joiner must never
 * be visible there while it still stands in the host's root or holds the token.
 */
@Tag("root")
class ExecWatcherRootTest extends SharedRootHarness {

  @ParameterizedTest
  @ValueSource(ints = {6, 8, 10, 12, 13})
  void theWatcherReadsNeitherTheHostRootNorTheToken(int level) throws Exception {
    // A directory only the host's root has: reaching it through /proc/PID/root is the escape.
    Path marker = Files.createTempDirectory("glasshouse-test-marker-");
    try {
      String rel = marker.toString().substring(1);
      String watcher =
          "while :; do for d in /proc/[0-9]*; do p=${d#/proc/};"
              + " [ $p = 1 ] && continue;"
              + " [ -e $d/root/"
              + rel
              + " ] && echo ROOT $p;"
              + " grep -q GLASSHOUSE_INIT_TOKEN= $d/environ 2>/dev/null && echo TOKEN $p;"
              + " case \"$(cat $d/cmdline 2>/dev/null)\" in /bin/sleep*) echo SEEN $p;; esac;"
              + " done; done";
      CollectingListener main = new CollectingListener();
      Container c =
          h.runtime.start(
              RootHarness.newId(),
              RootHarness.spec(Feature.upTo(level), null, null, "/bin/sh", "-c", watcher),
              main);
      for (int i = 0; i < 3; i++) {
        CollectingListener l = new CollectingListener();
        h.runtime.exec(
            c.id(),
            RootHarness.newId(),
            RootHarness.plain(null, null, RootHarness.ENV, "/bin/sleep", "1"),
            l);
        assertEquals(0, l.await().code(), l.stderr());
      }
      h.runtime.remove(c.id(), true);
      String out = main.stdout();
      assertTrue(out.contains("SEEN"), "the watcher saw the exec'd command: " + out);
      assertFalse(out.contains("ROOT"), "a joiner showed the host's root: " + out);
      assertFalse(out.contains("TOKEN"), "a joiner showed its token: " + out);
    } finally {
      SafeDelete.deleteTree(marker);
    }
  }
}
