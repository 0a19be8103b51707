package org.glasshouse.helper.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;

/**
 * A runtime on a temporary state dir with a unique cgroup parent, for root integration tests; skips
 * (with the reason) when not root or when the busybox image is missing.
 */
final class RootHarness implements AutoCloseable {
  static final Map<String, String> ENV = Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");

  final Path state;
  final String cgroupParent;
  final LinuxContainerRuntime runtime;
  private final java.util.concurrent.atomic.AtomicReference<StateDirClaim> claim =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** The output and exit of one finished container. */
  record Result(Container container, ExitStatus status, String out, String err) {
    @Override
    public String toString() {
      return "status "
          + status
          + "\nstdout:\n"
          + out
          + "\nstderr:\n"
          + err
          + "\nsteps: "
          + container.steps();
    }
  }

  RootHarness() throws Exception {
    this(TestSupport.imagesDir(), UnaryOperator.identity());
  }

  /** A harness whose images come from {@code images} (hostile images built by a test). */
  RootHarness(Path images) throws Exception {
    this(images, UnaryOperator.identity());
  }

  /** A harness whose runtime's config is {@code tune}d first (a timeout, the warm pool). */
  RootHarness(UnaryOperator<RuntimeConfig> tune) throws Exception {
    this(TestSupport.imagesDir(), tune);
  }

  private RootHarness(Path images, UnaryOperator<RuntimeConfig> tune) throws Exception {
    TestSupport.requireRootAndBusybox("the level tests");
    state = Files.createTempDirectory("glasshouse-test-");
    cgroupParent = TestSupport.uniqueCgroupParent();
    runtime =
        new LinuxContainerRuntime(
            tune.apply(RuntimeConfig.of(state, images).withCgroupParent(cgroupParent)),
            RuntimeEnvironment.host().onClaim(claim::set));
  }

  static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
  }

  static RunSpec spec(Set<Feature> features, Limits limits, String user, String... argv) {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of(argv))
        .env(ENV)
        .features(features)
        .limits(limits)
        .user(user)
        .build();
  }

  /** Just {@code argv} in {@code env} at {@code level} (null: features decide); the rest unset. */
  static RunSpec plain(String image, Integer level, Map<String, String> env, String... argv) {
    return RunSpec.builder().image(image).argv(List.of(argv)).env(env).level(level).build();
  }

  static RunSpec level(int level, String script) {
    return spec(Feature.upTo(level), null, null, "/bin/sh", "-c", script);
  }

  Result run(RunSpec spec) throws Exception {
    CollectingListener l = new CollectingListener();
    Container c = runtime.start(newId(), spec, l);
    ExitStatus s = l.await();
    return new Result(c, s, l.stdout(), l.stderr());
  }

  /** Runs and removes. */
  Result runAndRemove(RunSpec spec) throws Exception {
    Result r = run(spec);
    runtime.remove(r.container().id(), true);
    return r;
  }

  static String hostNs(String ns) throws Exception {
    return Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns)).toString();
  }

  /**
   * Plays a {@code kill -9} of the helper: its state-dir lock and cgroup-parent share go (the
   * kernel closes a dead process's fds), its containers keep running, nothing is cleaned up. A new
   * runtime on {@link #state} then sweeps them; {@link #close} later tidies this JVM's side of the
   * old one.
   */
  void crash() {
    claim.get().drop();
  }

  @Override
  public void close() throws Exception {
    runtime.close();
    SafeDelete.deleteTree(state);
  }
}
