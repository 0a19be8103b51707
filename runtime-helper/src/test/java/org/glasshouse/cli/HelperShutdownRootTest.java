package org.glasshouse.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.MarkedProcesses;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real helper, stopped with SIGTERM as systemd or the launcher stops it, ends every process its
 * level-00 containers started: the background child, the setsid daemon, the job in its own process
 * group and the fork loop ({@link MarkedProcesses#workload}), which no PID namespace ties to them.
 */
@Tag("root")
class HelperShutdownRootTest {

  @Test
  void aHelperStoppedWithSigtermLeavesNoProcessOfItsContainers() throws Exception {
    TestSupport.requireRootAndBusybox("the helper shutdown test");
    MarkedProcesses m = MarkedProcesses.create();
    try {
      List<MarkedProcesses.Proc> before;
      try (HelperProcess helper = HelperProcess.start(TestSupport.imagesDir())) {
        try (HelperClient c = HelperClient.connect(helper.socket(), "shutdown-test", e -> {})) {
          ObjectNode spec = Json.object();
          spec.put("image", "busybox").put("level", 0).put("tty", true);
          spec.put("cols", 80).put("rows", 24);
          spec.set("argv", Json.tree(List.of("/bin/sh", "-c", m.workload())));
          spec.set("env", Json.tree(Map.of("PATH", "/bin:/usr/bin")));
          ObjectNode f = Json.object().put("attach", false);
          f.set("spec", spec);
          var r = c.call(Op.RUN, f);
          long pid = r.path("pid").asLong(-1);
          before = m.awaitEscapes(() -> pid, "the run's reply: " + r);
        }
        // close(): SIGTERM, then waits for the helper to exit.
      }
      m.assertNoneLeft("after the helper's SIGTERM (before it: " + before + ")");
    } finally {
      m.killLeftovers();
    }
  }
}
