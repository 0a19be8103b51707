package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.glasshouse.app.TestInspections;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.inspect.InspectResult;
import org.junit.jupiter.api.Test;

/**
 * What a check says is read by a student: counts in words, singular or plural by the number ("its
 * own 1 process(es)" was on the class walk's screen), and a container that ended says what to do.
 */
class LevelChecksWordsTest {
  private static final RunSpec LEVEL_06 =
      RunSpec.builder().image("busybox").argv(List.of("/bin/sh")).level(6).build();

  private static InspectResult pidNs(int processes) {
    InspectResult r = TestInspections.inspection("c1", Map.of("pid", 4026532400L), "/bin/sh", null);
    List<org.glasshouse.protocol.inspect.ProcessInfo> ps = new java.util.ArrayList<>();
    ps.add(r.processes().get(0));
    for (int i = 1; i < processes; i++) {
      ps.add(
          TestInspections.process(5000 + i, List.of(5000L + i, 1L + i), "sleep", List.of("sleep")));
    }
    return r.toBuilder().processes(ps).build();
  }

  private static CheckOutcome check(RunSpec spec, boolean live, Integer exit, InspectResult in) {
    Evidence e = new Evidence("c1", spec, live, false, exit, List.of(), in, null, null, null);
    return Levels.get(spec.level()).check().apply(spec.level(), e);
  }

  @Test
  void oneProcessIsOneProcess() {
    String text = check(LEVEL_06, true, null, pidNs(1)).text();
    assertTrue(text.contains("its PID namespace holds its own process only"), text);
    assertFalse(text.contains("(es)"), text);
  }

  @Test
  void threeProcessesAreProcesses() {
    String text = check(LEVEL_06, true, null, pidNs(3)).text();
    assertTrue(text.contains("holds only its own 3 processes"), text);
    assertFalse(text.contains("(es)"), text);
  }

  @Test
  void anEndedContainerSaysHowItEndedAndWhatToDo() {
    String text = check(LEVEL_06, false, 0, null).text();
    assertTrue(text.contains("it has ended (exit 0)"), text);
    assertTrue(text.contains("Run the level first (the Run button), then check again"), text);
  }
}
