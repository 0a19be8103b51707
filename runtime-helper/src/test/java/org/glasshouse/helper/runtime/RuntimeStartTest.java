package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.glasshouse.Await;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitMessage;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper side of a start, without root: {@link LinuxContainerRuntime} on a temp state dir with
 * a fake rootfs, fake cgroups, syscalls that only record the namespace calls, and an init that is a
 * script in this JVM (the process the runtime watches is a harmless {@code sleep}). Checks what the
 * runtime does, in which order, and that every failure unwinds last-in-first-out.
 */
class RuntimeStartTest {

  /**
   * The fake init speaks Jackson's JSON, the helper its own codec: each conversation also checks
   * that they read each other.
   */
  private static final ObjectMapper FAKE_JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final Set<Feature> FEATURES =
      EnumSet.of(Feature.UTS_NS, Feature.CHROOT, Feature.CGROUP_MEMORY);

  @TempDir Path tmp;

  /** What the fakes saw, in order; the runtime's own effects are checked on the state dir. */
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  /** The runtime's own log (what goes wrong outside a request). */
  private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

  private final FakeCgroups cgroups = new FakeCgroups();
  private LinuxContainerRuntime runtime;
  private Script script = RuntimeStartTest::execs;
  private List<String> initArgv = List.of("/bin/sleep", "60");
  private boolean failRootfsUndo;
  private boolean initConnects = true;
  private final List<CompletableFuture<Void>> played = new ArrayList<>();

  private RuntimeEnvironment env;

  @BeforeEach
  void start() throws IOException {
    env =
        RuntimeEnvironment.host()
            .withSyscalls(namespacesRecorded(new JnaSyscalls()))
            .withCgroups(config -> cgroups)
            .withRootfs((images, sys) -> this::prepare)
            .withInit(this::launch)
            .withLog(logged::add);
    runtime = new LinuxContainerRuntime(config(), env);
  }

  /**
   * The init JVM's config, chosen explicitly: the scripted init speaks the JVM init's protocol
   * ({@link InitSession}), not the native executor's op answers (NativeInitSession, tested with the
   * real executor in NativeInitExecutorTest and NativeInitRootTest).
   */
  private RuntimeConfig config() {
    return RuntimeConfig.of(tmp.resolve("state"), tmp.resolve("images"), "jvm")
        .withWarmPool(0)
        .withInitTimeout(InitTimeout.configured(InitTimeout.FLOOR, "RuntimeStartTest"));
  }

  @AfterEach
  void stop() throws Exception {
    runtime.close();
    for (CompletableFuture<Void> p : played) {
      p.get(60, TimeUnit.SECONDS);
    }
  }

  /** The real syscalls, except that the namespace calls are recorded, not made (no root here). */
  private Syscalls namespacesRecorded(Syscalls real) {
    return (Syscalls)
        Proxy.newProxyInstance(
            Syscalls.class.getClassLoader(),
            new Class<?>[] {Syscalls.class},
            (proxy, m, args) -> {
              if (m.getName().equals("unshare") || m.getName().equals("setns")) {
                events.add(m.getName());
                return null;
              }
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private RootfsFactory.Layout prepare(LinuxContainer c, Undo undo) throws IOException {
    events.add("rootfs");
    Path root = Files.createDirectories(c.dir().resolve("root"));
    undo.push(
        "the rootfs",
        () -> {
          // LIFO: the container dir, pushed before the rootfs, is still there.
          events.add("undo rootfs, dir there: " + Files.isDirectory(c.dir()));
          if (failRootfsUndo) {
            throw new IOException("umount: busy");
          }
        });
    return new RootfsFactory.Layout(root.toString(), null, null, null);
  }

  /** The init the runtime spawns: a sleep it watches, and the script that talks for it. */
  private InitSpawner.Command launch(RuntimeConfig config, Path socket, String token) {
    events.add("spawn init");
    if (!initConnects) {
      return new InitSpawner.Command(initArgv, Map.of(), tmp.toString());
    }
    played.add(
        CompletableFuture.runAsync(
            () -> {
              try (FakeInit f = new FakeInit(socket, token)) {
                script.play(f);
              } catch (IOException e) {
                // The runtime hung up (it gave up on this init): the script ends here.
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            }));
    return new InitSpawner.Command(initArgv, Map.of(), tmp.toString());
  }

  @FunctionalInterface
  private interface Script {
    void play(FakeInit f) throws Exception;
  }

  /** The init's end of the channel as the JVM init speaks it ({@link FakeInitChannel.End}). */
  private static final class FakeInit extends FakeInitChannel.End {
    FakeInit(Path socket, String token) throws IOException {
      super(socket);
      send(new InitMessage("hello", token, null, null, null, null));
    }

    void send(InitMessage m) throws IOException {
      say(FAKE_JSON.writeValueAsString(m));
    }

    InitMessage expect(String type) throws IOException {
      String line = in.readLine();
      if (line == null) {
        throw new java.io.EOFException("the runtime closed the channel waiting for " + type);
      }
      InitMessage m = FAKE_JSON.readValue(line, InitMessage.class);
      assertEquals(type, m.type());
      return m;
    }
  }

  private static StepEntry step(String name, String call, boolean ok) {
    return StepEntry.builder()
        .seq(0)
        .step(name)
        .stage("init")
        .call(call)
        .args("\"/\", \"/old\"")
        .ok(ok)
        .result(ok ? "0" : "-1")
        .errno(ok ? null : "EBUSY")
        .message(ok ? null : "Device or resource busy")
        .explanation(ok ? null : "the new root must be a mount point")
        .durationNanos(1000)
        .build();
  }

  /** A good init: plan, ready, go, exec — then its channel closes as at execve. */
  private static void execs(FakeInit f) throws IOException {
    f.expect("plan");
    f.send(new InitMessage("ready", null, null, null, 1L, null));
    f.expect("go");
    f.send(new InitMessage("exec", null, null, step("exec", "execve", true), null, null));
  }

  private static RunSpec spec() {
    return spec(FEATURES);
  }

  private static RunSpec spec(Set<Feature> features) {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("/bin/true"))
        .env(Map.of())
        .features(features)
        .limits(Limits.NONE)
        .build();
  }

  private Path containerDir(String id) {
    return tmp.resolve("state/containers").resolve(id);
  }

  /**
   * A scripted init stands for every init, the native executor too: with the native init chosen, a
   * test's start must still spawn the script, never the real executor. (It once did: run with
   * -Dglasshouse.init=native, this class spawned glasshouse-init in the host's namespaces, since
   * the namespace calls here are only recorded, and its sethostname renamed the host.)
   */
  @Test
  void aScriptedInitStandsForTheNativeInitToo() throws Exception {
    runtime.close();
    runtime =
        new LinuxContainerRuntime(
            config().withNativeInit(tmp.resolve("glasshouse-init-that-must-not-run")), env);
    script = f -> f.in.readLine();
    assertThrows(
        StartFailedException.class,
        () -> runtime.start("c0ffee000009", spec(), new CollectingListener()));
    assertTrue(events.contains("spawn init"), "the scripted launcher was asked: " + events);
  }

  @Test
  void aStartRunsTheHelperStepsInOrderAndARemoveUndoesThemLastFirst() throws Exception {
    Container c = runtime.start("c0ffee000001", spec(), new CollectingListener());
    assertEquals(Container.State.RUNNING, c.state());
    assertTrue(Files.isDirectory(containerDir(c.id())));
    runtime.remove(c.id(), true);
    assertEquals(
        List.of(
            "rootfs",
            "cgroup create c0ffee000001",
            "track create c0ffee000001",
            "spawn init",
            "unshare",
            "track add",
            "cgroup add",
            "track destroy",
            "cgroup destroy",
            "undo rootfs, dir there: true"),
        events);
    assertFalse(Files.exists(containerDir(c.id())), "the container dir went last");
    assertEquals(Container.State.REMOVED, c.state());
  }

  @Test
  void thePidRecordTakesTheInitsStartTimeFromTheEnvironmentsProc() throws Exception {
    // A /proc of the test's own: the init's stat there says it started at tick 4242; the real
    // /proc says otherwise, so the record shows which one the runtime read.
    Path proc = Files.createDirectories(tmp.resolve("proc"));
    runtime.close();
    runtime =
        new LinuxContainerRuntime(config(), env.withProc(proc, Path.of("/proc/self/mountinfo")));
    initArgv = List.of("/bin/sleep", "61");
    script =
        f -> {
          // The spawned sleep shows its arguments only once it has exec'd: wait for that.
          AtomicReference<ProcessHandle> sleep = new AtomicReference<>();
          Await.until(
              "the init's sleep 61",
              Duration.ofSeconds(10),
              Duration.ofMillis(10),
              () -> {
                ProcessHandle.current()
                    .descendants()
                    .filter(
                        h ->
                            h.info()
                                .arguments()
                                .map(a -> List.of(a).equals(List.of("61")))
                                .orElse(false))
                    .findFirst()
                    .ifPresent(sleep::set);
                return sleep.get() != null;
              });
          long pid = sleep.get().pid();
          Path stat = Files.createDirectories(proc.resolve(Long.toString(pid))).resolve("stat");
          Files.writeString(
              stat,
              pid + " (sleep) S" + " 0".repeat(18) + " 4242 0 0\n",
              StandardCharsets.US_ASCII);
          execs(f);
        };
    Container c = runtime.start("c0ffee00000a", spec(), new CollectingListener());
    String record = Files.readString(containerDir(c.id()).resolve(PidRecord.FILE)).trim();
    assertTrue(record.endsWith(" 4242"), "the start time from the real /proc: " + record);
    runtime.remove(c.id(), true);
  }

  @Test
  void aStepTheInitRefusesFailsTheStartNamingItAndUnwindsLastFirst() {
    script =
        f -> {
          f.expect("plan");
          f.send(
              new InitMessage("step", null, null, step("pivot", "pivot_root", false), null, null));
          f.send(new InitMessage("failed", null, null, null, null, "pivot_root: EBUSY"));
        };
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () -> runtime.start("c0ffee000002", spec(), new CollectingListener()));
    assertEquals(
        "pivot_root failed with EBUSY: the new root must be a mount point", e.getMessage());
    assertEquals("pivot", e.failedStep().step());
    assertEquals(
        List.of(
            "rootfs",
            "cgroup create c0ffee000002",
            "track create c0ffee000002",
            "spawn init",
            "unshare",
            "track destroy",
            "cgroup destroy",
            "undo rootfs, dir there: true"),
        events);
    assertFalse(Files.exists(containerDir("c0ffee000002")));
    assertTrue(runtime.list().isEmpty(), "a failed start leaves no container behind");
  }

  /**
   * A start's error names the failure in the words that say most: a syscall's errno by its step's
   * explanation (above: EBUSY, "the new root must be a mount point"), a step of the helper's own by
   * its message — the card said "image failed: the image must exist as <images>/nosuchimage.tar and
   * extract cleanly" where the step knew "no image 'nosuchimage': … the images here: busybox".
   */
  @Test
  void aHelperStepsFailureIsToldByItsMessageASyscallsByItsExplanation() {
    StepEntry image =
        StepEntry.builder()
            .seq(2)
            .step("image")
            .stage("helper")
            .call("image")
            .args("\"nosuchimage\"")
            .ok(false)
            .result("-1")
            .message("no image 'nosuchimage': /i/nosuchimage.tar does not exist")
            .explanation("the image must exist as <images>/nosuchimage.tar and extract cleanly")
            .durationNanos(1000)
            .build();
    assertEquals(
        "no image 'nosuchimage': /i/nosuchimage.tar does not exist — the image must exist as"
            + " <images>/nosuchimage.tar and extract cleanly",
        LaunchGate.reason(image));
    assertEquals(
        "the new root must be a mount point",
        LaunchGate.reason(step("pivot", "pivot_root", false)));
  }

  @Test
  void aCgroupThatCannotBeMadeStopsBeforeAnyInitIsSpawned() {
    cgroups.failCreate = true;
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () -> runtime.start("c0ffee000003", spec(), new CollectingListener()));
    assertTrue(e.getMessage().startsWith("mkdir failed with EACCES"), e.getMessage());
    assertEquals(List.of("rootfs", "undo rootfs, dir there: true"), events);
    assertFalse(Files.exists(containerDir("c0ffee000003")));
  }

  @Test
  void aHelperStepFailingAtReadyKillsTheInitAndUnwinds() {
    cgroups.failAdd = true;
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () -> runtime.start("c0ffee000004", spec(), new CollectingListener()));
    assertTrue(e.getMessage().startsWith("write failed with ESRCH"), e.getMessage());
    assertEquals(
        List.of(
            "rootfs",
            "cgroup create c0ffee000004",
            "track create c0ffee000004",
            "spawn init",
            "unshare",
            "track add",
            "cgroup add",
            "track destroy",
            "cgroup destroy",
            "undo rootfs, dir there: true"),
        events);
    assertFalse(Files.exists(containerDir("c0ffee000004")));
  }

  @Test
  void anInitThatDiesBeforeConnectingIsNamedAndUnwound() {
    initArgv = List.of("/bin/false");
    initConnects = false;
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () -> runtime.start("c0ffee000005", spec(), new CollectingListener()));
    assertEquals("the init stage exited with status 1 before exec", e.getMessage());
    assertEquals(
        List.of(
            "rootfs",
            "cgroup create c0ffee000005",
            "track create c0ffee000005",
            "spawn init",
            "unshare",
            "track destroy",
            "cgroup destroy",
            "undo rootfs, dir there: true"),
        events);
    assertFalse(Files.exists(containerDir("c0ffee000005")));
  }

  @Test
  void aContainerWithAPidNamespaceNeedsNoTrackingCgroup() throws Exception {
    Set<Feature> withPidNs = EnumSet.copyOf(FEATURES);
    withPidNs.add(Feature.PID_NS);
    Container c = runtime.start("c0ffee000007", spec(withPidNs), new CollectingListener());
    runtime.remove(c.id(), true);
    assertFalse(events.stream().anyMatch(e -> e.startsWith("track")), events.toString());
  }

  @Test
  void aContainerWithItsOwnCgroupOnV2NeedsNoTrackingCgroup() throws Exception {
    cgroups.unified = true;
    Container c = runtime.start("c0ffee000008", spec(), new CollectingListener());
    runtime.remove(c.id(), true);
    assertFalse(events.stream().anyMatch(e -> e.startsWith("track")), events.toString());
  }

  @Test
  void anUndoThatFailsIsAttachedAndTheEarlierUndosStillRun() {
    failRootfsUndo = true;
    cgroups.failAdd = true;
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () -> runtime.start("c0ffee000006", spec(), new CollectingListener()));
    Throwable undo = e.getCause().getSuppressed()[0];
    assertTrue(undo.toString().contains("umount: busy"), undo.toString());
    assertFalse(Files.exists(containerDir("c0ffee000006")), "the dir was deleted after all");
  }

  /** A cgroup driver that records what the runtime asks of it and fails on request. */
  private final class FakeCgroups implements CgroupDriver {
    volatile boolean failCreate;
    volatile boolean failAdd;
    volatile boolean unified;

    @Override
    public String mode() {
      return "fake";
    }

    @Override
    public List<Path> parentPaths() {
      return List.of();
    }

    @Override
    public ContainerCgroup create(String id, Limits limits, Set<Feature> features, StepLog log)
        throws StepException {
      return log.run(
          "cgroup",
          "helper",
          "mkdir",
          id,
          "making a cgroup needs write access to the cgroup fs",
          () -> {
            if (failCreate) {
              throw new SyscallException("mkdir", id, 13, "EACCES", "Permission denied");
            }
            events.add("cgroup create " + id);
            return new FakeCgroup(id, "cgroup");
          });
    }

    @Override
    public ContainerCgroup track(String id, StepLog log) {
      events.add("track create " + id);
      return new FakeCgroup(id, "track");
    }

    @Override
    public boolean unified() {
      return unified;
    }

    @Override
    public List<String> containers() {
      return List.of();
    }

    @Override
    public ContainerCgroup open(String id, StepLog log) {
      return new FakeCgroup(id, "cgroup");
    }

    @Override
    public void removeParent() {}
  }

  /** A container's cgroup ({@code kind} "cgroup") or its tracking cgroup ("track"). */
  private final class FakeCgroup implements ContainerCgroup {
    private final String id;
    private final String kind;

    FakeCgroup(String id, String kind) {
      this.id = id;
      this.kind = kind;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public List<Path> paths() {
      return List.of();
    }

    @Override
    public void addProcess(long pid, StepLog log) throws StepException {
      events.add(kind + " add");
      log.run(
          "cgroup-join",
          "helper",
          "write",
          "cgroup.procs, \"" + pid + "\"",
          null,
          () -> {
            if (cgroups.failAdd && kind.equals("cgroup")) {
              throw new SyscallException("write", "cgroup.procs", 3, "ESRCH", "No such process");
            }
            return null;
          });
    }

    @Override
    public void enterRoots(long pid, StepLog log) {
      events.add(kind + " roots");
    }

    @Override
    public void leave(long pid, StepLog log) {
      events.add(kind + " leave");
    }

    @Override
    public long oomKills() {
      return 0;
    }

    @Override
    public List<Long> pids() {
      return List.of();
    }

    @Override
    public void destroy() {
      events.add(kind + " destroy");
    }
  }
}
