package org.glasshouse.app.mounts;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.Recording;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;

/** Recorded scenarios turned into what the Mounts and Filesystem view-models see. */
public final class MountsFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MountsFixtures() {}

  /** The recording's container id (of its first step event). */
  public static String containerId(Recording r) {
    return r.events(LabEvent.Step.class).get(0).container();
  }

  /**
   * Runs the recording's container in {@code containers}: its step events arrive, then the run
   * reply claims it with the recorded spec; the fake answers {@code mounts} and {@code inspect}
   * from the recording.
   */
  public static ContainerItem run(Recording r, FakeLabService lab, ContainersViewModel containers) {
    String id = containerId(r);
    RunSpec spec = JSON.convertValue(r.header().get("spec"), RunSpec.class);
    long pid = r.events(LabEvent.Started.class).get(0).pid();
    lab.answerFrom(r);
    lab.onRun =
        s -> {
          r.events(LabEvent.Step.class).forEach(lab::emit);
          return CompletableFuture.completedFuture(new LabService.Started(id, pid));
        };
    return containers.run(spec, false).join();
  }

  /** A {@code mounts} event of the host's table, every mount added (as a new subscription gets). */
  public static LabEvent.Mounts hostTable(List<MountsResult.Mount> mounts) {
    return new LabEvent.Mounts(
        "host",
        new MountsEvent(
            1, mounts.size(), new MountsResult.Diff("none", mounts, List.of(), List.of())));
  }

  /** The same diff, as the host's event. */
  public static LabEvent.Mounts asHost(LabEvent.Mounts e) {
    return new LabEvent.Mounts("host", e.mounts());
  }
}
