package org.glasshouse.helper.plan;

import java.util.List;
import java.util.Set;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;

/**
 * Everything the init stage needs, resolved by the helper: sent over the init channel as JSON. The
 * init stage trusts it (it comes from the root helper over a 0700 socket, authenticated by a
 * one-time token) but checks its own preconditions as every step does.
 *
 * @param containerId the container's id
 * @param spec what the client asked for (argv, env, workdir, tty …)
 * @param features the steps switched on
 * @param rootfs the directory that becomes the container's root (overlay: the merged dir); null at
 *     level 00
 * @param overlayLower the image's extracted rootfs (overlay's read-only lower layer), or null
 * @param overlayUpper per-container upper dir, or null
 * @param overlayWork per-container overlay work dir, or null
 * @param ptySlave the pty slave's path ({@code /dev/pts/N}) when tty, else null
 * @param hostname the hostname to set in the UTS namespace
 * @param uid the uid to run as (level 10), or null
 * @param gid the gid to run as (level 10), or null
 * @param capabilities the capability names to keep (level 11), e.g. {@code CAP_CHOWN}
 * @param capLastCap the kernel's highest capability number (/proc/sys/kernel/cap_last_cap)
 * @param workdir the command's working directory
 * @param execMode an exec into a running container: {@code rootfs} is its {@code /proc/PID/root}
 * @param targetPid exec: the host pid of the container's first process, whose mount namespace and
 *     root the init joins; 0 otherwise
 * @param seccomp the compiled seccomp filter to load just before execve (level 13), or null
 */
public record InitPlan(
    String containerId,
    RunSpec spec,
    Set<Feature> features,
    String rootfs,
    String overlayLower,
    String overlayUpper,
    String overlayWork,
    String ptySlave,
    String hostname,
    Integer uid,
    Integer gid,
    List<String> capabilities,
    int capLastCap,
    String workdir,
    boolean execMode,
    long targetPid,
    FilterPlan seccomp) {

  /** A plan without a seccomp filter. */
  public InitPlan(
      String containerId,
      RunSpec spec,
      Set<Feature> features,
      String rootfs,
      String overlayLower,
      String overlayUpper,
      String overlayWork,
      String ptySlave,
      String hostname,
      Integer uid,
      Integer gid,
      List<String> capabilities,
      int capLastCap,
      String workdir,
      boolean execMode,
      long targetPid) {
    this(
        containerId,
        spec,
        features,
        rootfs,
        overlayLower,
        overlayUpper,
        overlayWork,
        ptySlave,
        hostname,
        uid,
        gid,
        capabilities,
        capLastCap,
        workdir,
        execMode,
        targetPid,
        null);
  }

  /** Whether {@code f} is switched on. */
  public boolean has(Feature f) {
    return features.contains(f);
  }
}
