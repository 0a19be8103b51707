package org.glasshouse.helper.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.glasshouse.helper.runtime.net.NetworkConfig;

/**
 * Where the runtime keeps things and how it starts the init stage.
 *
 * @param stateDir the helper's state dir (containers, images, the init socket)
 * @param imagesDir where image tarballs are found ({@code busybox.tar})
 * @param cgroupBase where the parent cgroup goes on a v2 host, relative to the unified root: {@code
 *     ""} (the root) or the cgroup delegated to the helper ({@code
 *     system.slice/glasshouse.service}, see {@code CgroupDelegation})
 * @param cgroupParent the name of the parent cgroup of every container ({@code glasshouse})
 * @param javaCommand the java launcher for the init stage's JVM
 * @param classPath the init JVM's class path (this helper's own)
 * @param jvmOptions options of the init JVM: tuned for start time, not throughput
 * @param warmPool init stages kept ready per namespace set (0: spawn one per start)
 * @param initTimeout how long an init stage may take to connect and to get to execve
 * @param network the bridge and subnet of containers that ask for {@code "network":"bridge"}
 * @param nativeInit the native init stage's executable ({@link NativeInit}), which a container's
 *     first start then runs instead of an init JVM; null: the init JVM (and its warm pool)
 */
public record RuntimeConfig(
    Path stateDir,
    Path imagesDir,
    String cgroupBase,
    String cgroupParent,
    String javaCommand,
    String classPath,
    List<String> jvmOptions,
    int warmPool,
    InitTimeout initTimeout,
    NetworkConfig network,
    Path nativeInit) {

  /** A config with the init JVM. */
  public RuntimeConfig(
      Path stateDir,
      Path imagesDir,
      String cgroupBase,
      String cgroupParent,
      String javaCommand,
      String classPath,
      List<String> jvmOptions,
      int warmPool,
      InitTimeout initTimeout,
      NetworkConfig network) {
    this(
        stateDir,
        imagesDir,
        cgroupBase,
        cgroupParent,
        javaCommand,
        classPath,
        jvmOptions,
        warmPool,
        initTimeout,
        network,
        null);
  }

  /** A config with the network defaults of its state dir ({@link NetworkConfig#forStateDir}). */
  public RuntimeConfig(
      Path stateDir,
      Path imagesDir,
      String cgroupParent,
      String javaCommand,
      String classPath,
      List<String> jvmOptions,
      int warmPool,
      InitTimeout initTimeout) {
    this(
        stateDir,
        imagesDir,
        "",
        cgroupParent,
        javaCommand,
        classPath,
        jvmOptions,
        warmPool,
        initTimeout,
        NetworkConfig.forStateDir(stateDir));
  }

  /**
   * JVM options of the init stage: it runs for well under a second and must start fast. Serial GC
   * (no GC threads), C1 only, class data sharing, no /tmp/hsperfdata file (it would stay behind
   * after execve), a small heap (the init may already be in a 32 MiB memory cgroup). The JVM's own
   * warnings go to stderr, not to its default stdout: the init's stdout becomes the command's, and
   * a warning there (a thread the JVM could not start on a loaded machine) would be mixed into the
   * container's output.
   *
   * <p>Class-data archives (the JDK's, the init's) are mapped at their base address ({@code
   * ArchiveRelocationMode=0}; JDK 17 as Debian ships it and 25 default to 1, a random address):
   * relocated, each archive's pages became 7-10 MiB of dirty private memory in every init, shared
   * with no other. At the base address they stay shared between pooled inits (idle PSS 33 → 26 MiB
   * with the init's archive, issue 16); should that address be taken, the JVM relocates as before.
   * Both flags exist on JDK 17 and 25.
   */
  public static final List<String> INIT_JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:ArchiveRelocationMode=0",
          "-XX:-UsePerfData",
          "-Xmx16m",
          "-Xss512k",
          "-Xlog:disable",
          "-Xlog:all=warning:stderr");

  /**
   * This JVM's java and class path, the default options, cgroup parent {@code glasshouse}, the init
   * timeout from {@code GLASSHOUSE_INIT_TIMEOUT} or sized from this machine ({@link InitTimeout}),
   * the init stage {@link #INIT_PROPERTY} names (native when it names none).
   */
  public static RuntimeConfig of(Path stateDir, Path imagesDir) {
    return of(stateDir, imagesDir, System.getProperty(INIT_PROPERTY));
  }

  /**
   * The same with the init stage {@code initChoice} names ({@link #initStage}): {@code native} or
   * null for the native init, {@code jvm} for the init JVM.
   */
  public static RuntimeConfig of(Path stateDir, Path imagesDir, String initChoice) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new RuntimeConfig(
            stateDir,
            imagesDir,
            "glasshouse",
            java,
            absoluteClassPath(System.getProperty("java.class.path")),
            INIT_JVM_OPTIONS,
            1,
            InitTimeout.forThisMachine(System.getenv(), java, INIT_JVM_OPTIONS))
        .withNativeInit(initStage(initChoice));
  }

  /** System property that chooses the init stage: {@code native} (the default) or {@code jvm}. */
  public static final String INIT_PROPERTY = "glasshouse.init";

  /**
   * The native init's executable for {@code choice} {@code native} or none (the default); null for
   * {@code jvm}.
   *
   * @throws IllegalArgumentException for another choice, or {@code native} when the executable is
   *     not built next to the helper's classes: never a silent fall back to the JVM init
   */
  public static Path initStage(String choice) {
    if (choice != null && choice.equals("jvm")) {
      return null;
    }
    if (choice != null && !choice.equals("native")) {
      throw new IllegalArgumentException("the init stage is native or jvm, not " + choice);
    }
    return NativeInit.find().orElseThrow(() -> new IllegalArgumentException(missingNativeInit()));
  }

  /** Why the native init cannot be used here, and the two ways on. */
  public static String missingNativeInit() {
    return "the native init stage ("
        + NativeInit.NAME
        + ") is not next to the helper's classes"
        + NativeInit.expectedPlace().map(p -> " (" + p + ")").orElse("")
        + ": build it (./mvnw package, needs gcc and a static libc), or choose the JVM init"
        + " (glasshouse helper --init jvm)";
  }

  /** The native init's executable when it is built next to the helper's classes. */
  public static Optional<Path> nativeInitExecutable() {
    return NativeInit.find();
  }

  /**
   * The class path with every entry made absolute: the init JVM runs in the state dir, where a
   * relative entry (the launcher's {@code runtime-helper/target/…}) would point nowhere.
   */
  static String absoluteClassPath(String cp) {
    List<String> out = new java.util.ArrayList<>();
    for (String e : cp.split(java.io.File.pathSeparator)) {
      if (!e.isEmpty()) {
        out.add(Path.of(e).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  /** The same with another cgroup parent (tests use a unique one). */
  public RuntimeConfig withCgroupParent(String parent) {
    return new RuntimeConfig(
        stateDir,
        imagesDir,
        cgroupBase,
        parent,
        javaCommand,
        classPath,
        jvmOptions,
        warmPool,
        initTimeout,
        network,
        nativeInit);
  }

  /** The same with the parent cgroup under {@code base} (a delegated cgroup) on a v2 host. */
  public RuntimeConfig withCgroupBase(String base) {
    return new RuntimeConfig(
        stateDir,
        imagesDir,
        base,
        cgroupParent,
        javaCommand,
        classPath,
        jvmOptions,
        warmPool,
        initTimeout,
        network,
        nativeInit);
  }

  /** The same with another network configuration ({@code --bridge}, {@code --subnet}). */
  public RuntimeConfig withNetwork(NetworkConfig n) {
    return new RuntimeConfig(
        stateDir,
        imagesDir,
        cgroupBase,
        cgroupParent,
        javaCommand,
        classPath,
        jvmOptions,
        warmPool,
        initTimeout,
        n,
        nativeInit);
  }

  /** The same with {@code n} warm init stages per namespace set (0 disables the pool). */
  public RuntimeConfig withWarmPool(int n) {
    return new RuntimeConfig(
        stateDir,
        imagesDir,
        cgroupBase,
        cgroupParent,
        javaCommand,
        classPath,
        jvmOptions,
        n,
        initTimeout,
        network,
        nativeInit);
  }

  /** The same with another init timeout. */
  public RuntimeConfig withInitTimeout(InitTimeout t) {
    return new RuntimeConfig(
        stateDir,
        imagesDir,
        cgroupBase,
        cgroupParent,
        javaCommand,
        classPath,
        jvmOptions,
        warmPool,
        t,
        network,
        nativeInit);
  }

  /**
   * The same with the native init stage at {@code executable} for every container's first start
   * (null: the init JVM).
   */
  public RuntimeConfig withNativeInit(Path executable) {
    return new RuntimeConfig(
        stateDir,
        imagesDir,
        cgroupBase,
        cgroupParent,
        javaCommand,
        classPath,
        jvmOptions,
        warmPool,
        initTimeout,
        network,
        executable);
  }

  /** The same with {@code extra} appended to the init JVM's options. */
  public RuntimeConfig withExtraJvmOptions(List<String> extra) {
    List<String> all = new java.util.ArrayList<>(jvmOptions);
    all.addAll(extra);
    return new RuntimeConfig(
        stateDir,
        imagesDir,
        cgroupBase,
        cgroupParent,
        javaCommand,
        classPath,
        List.copyOf(all),
        warmPool,
        initTimeout,
        network,
        nativeInit);
  }
}
