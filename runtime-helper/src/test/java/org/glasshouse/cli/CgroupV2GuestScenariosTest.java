package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glasshouse.cli.CgroupV2Scenarios.Scenario;
import org.glasshouse.cli.PlacedHelper.Placement;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link CgroupV2Scenarios} scenario against a real helper on a pure cgroup v2 host, with the
 * helper in the root cgroup and in a delegated service cgroup — both happen on real machines. After
 * each scenario nothing is left under the helper's parent cgroup; after the helper stops, the
 * cgroup tree is exactly as it was before it started.
 *
 * <p>Tagged {@code v2-guest}: it runs in the QEMU guest of {@code ./glasshouse test-v2} (our own
 * machines are hybrid), not in the default run.
 */
@Tag("v2-guest")
class CgroupV2GuestScenariosTest {

  static Stream<Scenario> scenarios() {
    return CgroupV2Scenarios.all().stream();
  }

  /** One helper for all scenarios, in one placement. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Placed {
    private List<String> before;
    private PlacedHelper helper;

    abstract Placement placement();

    @BeforeAll
    void startHelper() throws Exception {
      CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
      TestSupport.require(
          layout.mode() == CgroupLayout.Mode.V2
              && List.of("cpu", "memory", "pids").stream().noneMatch(layout::isV1),
          "the cgroup v2 scenarios need a pure cgroup v2 host (./glasshouse test-v2 boots one);"
              + " this one is "
              + layout.mode().wireName());
      TestSupport.require(
          !Files.exists(CgroupV2Scenarios.PARENT),
          CgroupV2Scenarios.PARENT + " exists: another helper runs here");
      before = tree();
      helper = PlacedHelper.start(placement());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.glasshouse.cli.CgroupV2GuestScenariosTest#scenarios")
    void scenario(Scenario s) throws Exception {
      try {
        s.body().run(helper);
      } catch (Exception | AssertionError e) {
        // What the failed scenario left would fail every later one too.
        helper.removeStarted();
        throw e;
      }
      assertEquals(
          List.of(),
          CgroupV2Scenarios.children(CgroupV2Scenarios.PARENT),
          "the scenario left cgroups under " + CgroupV2Scenarios.PARENT);
    }

    @AfterAll
    void stopHelper() throws Exception {
      if (helper == null) {
        return;
      }
      helper.close();
      System.out.println(
          "glasshouse-v2: CLI JVMs so far: "
              + PlacedHelper.JVM_STARTS.get()
              + " started, "
              + PlacedHelper.JVM_CRASHES.get()
              + " crashed; "
              + PlacedHelper.IN_PROCESS.get()
              + " commands run in the test's JVM");
      assertFalse(
          Files.exists(CgroupV2Scenarios.PARENT),
          "the stopped helper removed its parent cgroup " + CgroupV2Scenarios.PARENT);
      assertEquals(before, tree(), "the cgroup tree is as it was before the helper started");
    }
  }

  /** Every cgroup dir under /sys/fs/cgroup, sorted. */
  static List<String> tree() throws IOException {
    try (Stream<Path> s = Files.walk(PlacedHelper.CGROUP)) {
      return s.filter(Files::isDirectory).map(Path::toString).sorted().toList();
    }
  }

  @Nested
  class HelperInTheRootCgroup extends Placed {
    @Override
    Placement placement() {
      return Placement.ROOT;
    }
  }

  @Nested
  class HelperInADelegatedServiceCgroup extends Placed {
    @Override
    Placement placement() {
      return Placement.SERVICE;
    }
  }
}
