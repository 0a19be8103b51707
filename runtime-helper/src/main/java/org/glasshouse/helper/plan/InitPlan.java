package org.glasshouse.helper.plan;

import java.util.List;
import java.util.Set;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;

/**
 * Everything the init stage needs, resolved by the helper: sent over the init channel as JSON
 * ({@link InitCodec}). The init stage trusts it (it comes from the root helper over a 0700 socket,
 * authenticated by a one-time token) but checks its own preconditions as every step does.
 *
 * <p>Built by name ({@link #builder}): eight of its components are Strings, which a positional call
 * could swap unnoticed ({@code NamedConstructionTest} forbids the canonical constructor outside
 * this type; {@link InitCodec} reads it from the init channel through the builder).
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

  /** A builder with every field unset (no exec mode, no seccomp filter). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this plan's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .containerId(containerId)
        .spec(spec)
        .features(features)
        .rootfs(rootfs)
        .overlayLower(overlayLower)
        .overlayUpper(overlayUpper)
        .overlayWork(overlayWork)
        .ptySlave(ptySlave)
        .hostname(hostname)
        .uid(uid)
        .gid(gid)
        .capabilities(capabilities)
        .capLastCap(capLastCap)
        .workdir(workdir)
        .execMode(execMode)
        .targetPid(targetPid)
        .seccomp(seccomp);
  }

  /** Builds a {@link InitPlan} field by field; each setter is named after its component. */
  public static final class Builder {
    private String containerId;
    private RunSpec spec;
    private Set<Feature> features;
    private String rootfs;
    private String overlayLower;
    private String overlayUpper;
    private String overlayWork;
    private String ptySlave;
    private String hostname;
    private Integer uid;
    private Integer gid;
    private List<String> capabilities;
    private int capLastCap;
    private String workdir;
    private boolean execMode;
    private long targetPid;
    private FilterPlan seccomp;

    private Builder() {}

    /** {@link InitPlan#containerId}. */
    public Builder containerId(String containerId) {
      this.containerId = containerId;
      return this;
    }

    /** {@link InitPlan#spec}. */
    public Builder spec(RunSpec spec) {
      this.spec = spec;
      return this;
    }

    /** {@link InitPlan#features}. */
    public Builder features(Set<Feature> features) {
      this.features = features;
      return this;
    }

    /** {@link InitPlan#rootfs}. */
    public Builder rootfs(String rootfs) {
      this.rootfs = rootfs;
      return this;
    }

    /** {@link InitPlan#overlayLower}. */
    public Builder overlayLower(String overlayLower) {
      this.overlayLower = overlayLower;
      return this;
    }

    /** {@link InitPlan#overlayUpper}. */
    public Builder overlayUpper(String overlayUpper) {
      this.overlayUpper = overlayUpper;
      return this;
    }

    /** {@link InitPlan#overlayWork}. */
    public Builder overlayWork(String overlayWork) {
      this.overlayWork = overlayWork;
      return this;
    }

    /** {@link InitPlan#ptySlave}. */
    public Builder ptySlave(String ptySlave) {
      this.ptySlave = ptySlave;
      return this;
    }

    /** {@link InitPlan#hostname}. */
    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    /** {@link InitPlan#uid}. */
    public Builder uid(Integer uid) {
      this.uid = uid;
      return this;
    }

    /** {@link InitPlan#gid}. */
    public Builder gid(Integer gid) {
      this.gid = gid;
      return this;
    }

    /** {@link InitPlan#capabilities}. */
    public Builder capabilities(List<String> capabilities) {
      this.capabilities = capabilities;
      return this;
    }

    /** {@link InitPlan#capLastCap}. */
    public Builder capLastCap(int capLastCap) {
      this.capLastCap = capLastCap;
      return this;
    }

    /** {@link InitPlan#workdir}. */
    public Builder workdir(String workdir) {
      this.workdir = workdir;
      return this;
    }

    /** {@link InitPlan#execMode}. */
    public Builder execMode(boolean execMode) {
      this.execMode = execMode;
      return this;
    }

    /** {@link InitPlan#targetPid}. */
    public Builder targetPid(long targetPid) {
      this.targetPid = targetPid;
      return this;
    }

    /** {@link InitPlan#seccomp}. */
    public Builder seccomp(FilterPlan seccomp) {
      this.seccomp = seccomp;
      return this;
    }

    /** The plan. */
    public InitPlan build() {
      return new InitPlan(
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
          seccomp);
    }
  }

  /** Whether {@code f} is switched on. */
  public boolean has(Feature f) {
    return features.contains(f);
  }
}
