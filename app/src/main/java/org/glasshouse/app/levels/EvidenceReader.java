package org.glasshouse.app.levels;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * Reads what a check needs from the helper, all four requests at once: the container's inspection
 * (with its upper directory), its mount table against the host's, the host's inspection and the
 * host's mount table (whose entries the helper marks when they lie under a container's root).
 */
public final class EvidenceReader {
  private EvidenceReader() {}

  /**
   * @param lab the helper
   * @param container the container's id
   * @param spec what it was run with
   * @param live whether it still runs; when not, only the host is read
   * @param oomKilled whether the helper reported it OOM-killed
   * @param exitCode its exit code, or null
   * @param steps its step log
   */
  public static CompletableFuture<Evidence> read(
      LabService lab,
      String container,
      RunSpec spec,
      boolean live,
      boolean oomKilled,
      Integer exitCode,
      List<StepEntry> steps) {
    CompletableFuture<InspectResult> inside =
        live ? lab.inspect(container, true).exceptionally(t -> null) : done(null);
    CompletableFuture<MountsResult> mounts =
        live ? lab.mounts(container, true).exceptionally(t -> null) : done(null);
    CompletableFuture<InspectResult> host = lab.inspect("host", false).exceptionally(t -> null);
    CompletableFuture<MountsResult> hostMounts = lab.mounts("host", false).exceptionally(t -> null);
    return CompletableFuture.allOf(inside, mounts, host, hostMounts)
        .thenApply(
            v ->
                new Evidence(
                    container,
                    spec,
                    live,
                    oomKilled,
                    exitCode,
                    List.copyOf(steps),
                    inside.join(),
                    mounts.join(),
                    host.join(),
                    hostMounts.join()));
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
