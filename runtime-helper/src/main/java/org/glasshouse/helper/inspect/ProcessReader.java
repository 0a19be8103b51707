package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.ProcessInfo;

/** Reads a {@link ProcessInfo} from {@code /proc/PID/status} and {@code /proc/PID/cmdline}. */
public final class ProcessReader {

  private static final Map<String, String> CAP_SETS =
      Map.of(
          "CapInh", "inheritable",
          "CapPrm", "permitted",
          "CapEff", "effective",
          "CapBnd", "bounding",
          "CapAmb", "ambient");
  private static final List<String> CAP_ORDER =
      List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb");

  private ProcessReader() {}

  /** Reads {@code /proc/PID/status} and {@code cmdline}. */
  public static ProcessInfo read(HostFs fs, long pid) throws ProcessGoneException {
    String status = fs.readPidFile(pid, "status");
    String cmdline = fs.readPidFile(pid, "cmdline");
    return parse(pid, status, cmdline);
  }

  /** Parses the two files; total: missing or malformed fields get neutral values. */
  public static ProcessInfo parse(long pid, String status, String cmdline) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String line : status.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        f.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    String state = f.getOrDefault("State", "?");
    String letter = state.isEmpty() ? "?" : state.substring(0, 1);
    int open = state.indexOf('(');
    String word =
        open >= 0 && state.endsWith(")") ? state.substring(open + 1, state.length() - 1) : "";
    Map<String, List<String>> caps = new LinkedHashMap<>();
    Map<String, String> masks = new LinkedHashMap<>();
    for (String key : CAP_ORDER) {
      String hex = f.get(key);
      if (hex != null) {
        caps.put(CAP_SETS.get(key), Capabilities.decode(Capabilities.parseMask(hex)));
        masks.put(CAP_SETS.get(key), hex);
      }
    }
    int seccomp = (int) number(f.get("Seccomp"), 0);
    List<Long> nsPids = numbers(f.get("NSpid"));
    return new ProcessInfo(
        pid,
        nsPids.isEmpty() ? List.of(pid) : nsPids,
        number(f.get("PPid"), 0),
        f.getOrDefault("Name", ""),
        splitCmdline(cmdline),
        letter,
        word,
        numbers(f.get("Uid")),
        numbers(f.get("Gid")),
        (int) number(f.get("Threads"), 0),
        caps,
        masks,
        number(f.get("NoNewPrivs"), 0) == 1,
        seccomp,
        switch (seccomp) {
          case 0 -> "disabled";
          case 1 -> "strict";
          case 2 -> "filter";
          default -> "unknown";
        },
        f.containsKey("Seccomp_filters") ? (int) number(f.get("Seccomp_filters"), 0) : null);
  }

  /** NUL-separated argv; a trailing NUL does not make an empty last argument. */
  static List<String> splitCmdline(String raw) {
    List<String> out = new ArrayList<>();
    if (raw.isEmpty()) {
      return out;
    }
    int start = 0;
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) == '\0') {
        out.add(raw.substring(start, i));
        start = i + 1;
      }
    }
    if (start < raw.length()) {
      out.add(raw.substring(start));
    }
    return List.copyOf(out);
  }

  private static long number(String s, long fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static List<Long> numbers(String s) {
    List<Long> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    for (String p : s.trim().split("\\s+")) {
      try {
        out.add(Long.parseLong(p));
      } catch (NumberFormatException e) {
        return List.of();
      }
    }
    return List.copyOf(out);
  }
}
