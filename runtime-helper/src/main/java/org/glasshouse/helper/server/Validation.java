package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.RunSpec;

/**
 * Field rules of every request (PROTOCOL.md, "Validation"). The helper runs as root: a value that
 * reaches the runtime has been checked here first, so the runtime never sees a path with a NUL, an
 * image name with a slash, or a limit of minus one.
 */
public final class Validation {

  /** A container or exec id: 12 lowercase hex digits. */
  public static final Pattern ID = Pattern.compile("[0-9a-f]{12}");

  /** A container name (docker's rule). */
  public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");

  /** An image name: no slash, no dot-dot prefix, so it is always one path component. */
  public static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  private static final Pattern USER = Pattern.compile("([0-9]{1,10})(?::([0-9]{1,10}))?");
  private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");

  static final int MAX_ARGV = 256;
  static final int MAX_ARG_CHARS = 4096;
  static final int MAX_ARGV_TOTAL = 128 * 1024;
  static final int MAX_ENV = 256;
  static final int MAX_ENV_VALUE = 32 * 1024;
  static final int MAX_PATH = 4096;
  static final int MAX_TTY = 1000;
  static final int MAX_CAPS = 64;
  static final long MIB = 1L << 20;

  /** Capability names the kernel knows (capability.h, up to CAP_CHECKPOINT_RESTORE). */
  static final Set<String> CAPABILITIES =
      Set.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_DAC_READ_SEARCH",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_BROADCAST",
          "CAP_NET_ADMIN",
          "CAP_NET_RAW",
          "CAP_IPC_LOCK",
          "CAP_IPC_OWNER",
          "CAP_SYS_MODULE",
          "CAP_SYS_RAWIO",
          "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE",
          "CAP_SYS_PACCT",
          "CAP_SYS_ADMIN",
          "CAP_SYS_BOOT",
          "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE",
          "CAP_SYS_TIME",
          "CAP_SYS_TTY_CONFIG",
          "CAP_MKNOD",
          "CAP_LEASE",
          "CAP_AUDIT_WRITE",
          "CAP_AUDIT_CONTROL",
          "CAP_SETFCAP",
          "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN",
          "CAP_SYSLOG",
          "CAP_WAKE_ALARM",
          "CAP_BLOCK_SUSPEND",
          "CAP_AUDIT_READ",
          "CAP_PERFMON",
          "CAP_BPF",
          "CAP_CHECKPOINT_RESTORE");

  private static final Map<String, Integer> SIGNALS =
      Map.ofEntries(
          Map.entry("HUP", 1),
          Map.entry("INT", 2),
          Map.entry("QUIT", 3),
          Map.entry("KILL", 9),
          Map.entry("USR1", 10),
          Map.entry("USR2", 12),
          Map.entry("TERM", 15),
          Map.entry("CONT", 18),
          Map.entry("STOP", 19),
          Map.entry("TSTP", 20),
          Map.entry("WINCH", 28));

  private Validation() {}

  /** Checks an id-or-name field value. */
  public static String container(JsonNode id, String field, String value) throws ProtocolException {
    if (!ID.matcher(value).matches() && !NAME.matcher(value).matches()) {
      throw ProtocolException.badField(
          id, field, "must be a container id (12 lowercase hex digits) or a name");
    }
    return value;
  }

  /** A signal given as a name or a number. */
  public static int signal(JsonNode id, JsonNode value) throws ProtocolException {
    if (value != null && value.isIntegralNumber()) {
      int n = value.asInt();
      if (value.canConvertToInt() && n >= 1 && n <= 64) {
        return n;
      }
      throw ProtocolException.badField(id, "signal", "must be between 1 and 64");
    }
    if (value != null && value.isTextual()) {
      String name = value.textValue().toUpperCase(Locale.ROOT);
      Integer n = SIGNALS.get(name.startsWith("SIG") ? name.substring(3) : name);
      if (n != null) {
        return n;
      }
    }
    throw ProtocolException.badField(
        id, "signal", "must be a number 1..64 or one of " + String.join(", ", SIGNALS.keySet()));
  }

  /**
   * Checks a run spec and returns it normalised (capability names in {@code CAP_X} form).
   *
   * @param forExec only argv, env, workdir, tty, cols, rows and user matter
   */
  public static RunSpec spec(JsonNode id, RunSpec s, boolean forExec) throws ProtocolException {
    argv(id, s.argv());
    env(id, s.env());
    if (s.workdir() != null) {
      noNul(id, "spec.workdir", s.workdir());
      if (!s.workdir().startsWith("/") || s.workdir().length() > MAX_PATH) {
        throw ProtocolException.badField(
            id, "spec.workdir", "must be an absolute path of at most " + MAX_PATH + " characters");
      }
    }
    range(id, "spec.cols", s.cols(), 1, MAX_TTY);
    range(id, "spec.rows", s.rows(), 1, MAX_TTY);
    if (s.user() != null) {
      var m = USER.matcher(s.user());
      if (!m.matches()
          || Long.parseLong(m.group(1)) > 4294967294L
          || (m.group(2) != null && Long.parseLong(m.group(2)) > 4294967294L)) {
        throw ProtocolException.badField(
            id, "spec.user", "must be uid or uid:gid in decimal (0..4294967294)");
      }
    }
    if (forExec) {
      return s;
    }
    if (s.image() != null && !IMAGE.matcher(s.image()).matches()) {
      throw ProtocolException.badField(id, "spec.image", "must match " + IMAGE.pattern());
    }
    range(id, "spec.level", s.level(), 0, Feature.MAX_LEVEL);
    Set<Feature> features = s.features() != null ? s.features() : Feature.upTo(level(s));
    if (!features.isEmpty() && s.image() == null) {
      throw ProtocolException.badField(
          id, "spec.image", "is required from level 01 on (features " + features + ")");
    }
    if (s.name() != null && !NAME.matcher(s.name()).matches()) {
      throw ProtocolException.badField(id, "spec.name", "must match " + NAME.pattern());
    }
    if ("host".equals(s.name())) {
      // inspect, mounts and subscribe read "host" as the host itself.
      throw ProtocolException.badField(id, "spec.name", "must not be \"host\": it names the host");
    }
    if (s.hostname() != null && !HOSTNAME.matcher(s.hostname()).matches()) {
      throw ProtocolException.badField(id, "spec.hostname", "must match " + HOSTNAME.pattern());
    }
    limits(id, s.limits());
    network(id, s.network(), features);
    return s.toBuilder()
        // The image is only the root filesystem's: a run that makes none (level 00, on the host's
        // root) uses no image, and ps, inspect and the window must not name one it never used.
        .image(Feature.needsRootfs(features) ? s.image() : null)
        .capAdd(caps(id, "spec.capAdd", s.capAdd()))
        .capDrop(caps(id, "spec.capDrop", s.capDrop()))
        .build();
  }

  /** {@code spec.network}: none (the default) or bridge, which needs a network namespace. */
  private static void network(JsonNode id, String network, Set<Feature> features)
      throws ProtocolException {
    if (network == null || network.equals(RunSpec.NETWORK_NONE)) {
      return;
    }
    if (!network.equals(RunSpec.NETWORK_BRIDGE)) {
      throw ProtocolException.badField(
          id,
          "spec.network",
          "must be \"none\" or \"bridge\", got \"" + abbreviate(network) + "\"");
    }
    if (!features.contains(Feature.NET_NS)) {
      throw ProtocolException.badField(
          id,
          "spec.network",
          "\"bridge\" needs the net-ns feature (level 07 or later): without a network namespace"
              + " of its own the container is the host's network");
    }
  }

  /** The level a spec asks for (0 when neither level nor features). */
  public static int level(RunSpec s) {
    return s.level() == null ? 0 : s.level();
  }

  private static void argv(JsonNode id, List<String> argv) throws ProtocolException {
    if (argv == null || argv.isEmpty()) {
      throw ProtocolException.badField(id, "spec.argv", "must name a command (non-empty)");
    }
    if (argv.size() > MAX_ARGV) {
      throw ProtocolException.badField(id, "spec.argv", "has more than " + MAX_ARGV + " items");
    }
    long total = 0;
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      String f = "spec.argv[" + i + "]";
      if (a == null || (i == 0 && a.isEmpty()) || a.length() > MAX_ARG_CHARS) {
        throw ProtocolException.badField(
            id, f, "must be a string of 1.." + MAX_ARG_CHARS + " characters");
      }
      noNul(id, f, a);
      total += a.length();
    }
    if (total > MAX_ARGV_TOTAL) {
      throw ProtocolException.badField(id, "spec.argv", "is longer than " + MAX_ARGV_TOTAL);
    }
  }

  private static void env(JsonNode id, Map<String, String> env) throws ProtocolException {
    if (env == null) {
      return;
    }
    if (env.size() > MAX_ENV) {
      throw ProtocolException.badField(id, "spec.env", "has more than " + MAX_ENV + " entries");
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!ENV_KEY.matcher(e.getKey()).matches()) {
        throw ProtocolException.badField(
            id, "spec.env." + abbreviate(e.getKey()), "is not a valid variable name");
      }
      String v = e.getValue();
      if (v == null || v.length() > MAX_ENV_VALUE) {
        throw ProtocolException.badField(
            id, "spec.env." + e.getKey(), "must be a string of at most " + MAX_ENV_VALUE);
      }
      noNul(id, "spec.env." + e.getKey(), v);
    }
  }

  private static void limits(JsonNode id, Limits l) throws ProtocolException {
    if (l == null) {
      return;
    }
    rangeL(id, "spec.limits.memoryBytes", l.memoryBytes(), MIB, 1L << 40);
    long swapMin = l.memoryBytes() != null ? l.memoryBytes() : MIB;
    rangeL(id, "spec.limits.memorySwapBytes", l.memorySwapBytes(), swapMin, 2L << 40);
    range(id, "spec.limits.cpuShares", l.cpuShares(), 2, 262144);
    if (l.cpus() != null && !(l.cpus() > 0 && l.cpus() <= 1024)) {
      throw ProtocolException.badField(id, "spec.limits.cpus", "must be > 0 and at most 1024");
    }
    range(id, "spec.limits.pidsMax", l.pidsMax(), 1, 4194304);
    rangeL(
        id,
        "spec.limits.memorySoftBytes",
        l.memorySoftBytes(),
        MIB,
        l.memoryBytes() != null ? l.memoryBytes() : 1L << 40);
    range(id, "spec.limits.memorySwappiness", l.memorySwappiness(), 0, 100);
    rangeL(id, "spec.limits.kernelMemoryBytes", l.kernelMemoryBytes(), 4 * MIB, 1L << 40);
    if (Boolean.TRUE.equals(l.oomKillDisable()) && l.memoryBytes() == null) {
      throw ProtocolException.badField(
          id,
          "spec.limits.oomKillDisable",
          "needs spec.limits.memoryBytes: without a limit of its own the group never reaches its"
              + " OOM killer");
    }
  }

  private static List<String> caps(JsonNode id, String field, List<String> caps)
      throws ProtocolException {
    if (caps == null) {
      return null;
    }
    if (caps.size() > MAX_CAPS) {
      throw ProtocolException.badField(id, field, "has more than " + MAX_CAPS + " items");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < caps.size(); i++) {
      String c = caps.get(i) == null ? "" : caps.get(i).toUpperCase(Locale.ROOT);
      String full = c.startsWith("CAP_") ? c : "CAP_" + c;
      if (!CAPABILITIES.contains(full)) {
        throw ProtocolException.badField(
            id, field + "[" + i + "]", "is not a capability name (like CAP_NET_ADMIN)");
      }
      out.add(full);
    }
    return out;
  }

  private static void range(JsonNode id, String field, Integer v, int min, int max)
      throws ProtocolException {
    if (v != null && (v < min || v > max)) {
      throw ProtocolException.badField(
          id, field, "must be between " + min + " and " + max + ", got " + v);
    }
  }

  private static void rangeL(JsonNode id, String field, Long v, long min, long max)
      throws ProtocolException {
    if (v != null && (v < min || v > max)) {
      throw ProtocolException.badField(
          id, field, "must be between " + min + " and " + max + ", got " + v);
    }
  }

  private static void noNul(JsonNode id, String field, String s) throws ProtocolException {
    if (s.indexOf('\0') >= 0) {
      throw ProtocolException.badField(id, field, "must not contain a NUL character");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
