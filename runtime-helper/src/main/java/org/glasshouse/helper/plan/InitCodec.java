package org.glasshouse.helper.plan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * {@link InitMessage} to JSON text and back, by hand, for both ends of the init channel: the init
 * JVM loads no Jackson (issue 16). The text is what Jackson makes of these records (components in
 * order; {@code null} components left out of a message, a spec, its limits and a step entry, as
 * their {@code @JsonInclude(NON_NULL)} says, written as {@code null} in a plan and its filter; a
 * feature by its wire name), so a line of either reads the same ({@code InitCodecTest} checks both
 * directions against Jackson). Reading ignores unknown names, as the helper's Jackson did, and a
 * wrong type is an {@link IOException} naming the field: {@code plan.spec.argv[1]: expected a
 * string, got a number}.
 */
public final class InitCodec {

  private InitCodec() {}

  /**
   * {@code m} as JSON text (one line: no newline in it).
   *
   * @throws IllegalArgumentException on a number JSON cannot hold (an infinite or NaN cpus limit)
   */
  public static String encode(InitMessage m) {
    StringBuilder b = new StringBuilder(256);
    Obj o = new Obj(b, true);
    o.str("type", m.type());
    o.str("token", m.token());
    if (m.plan() != null) {
      plan(o.name("plan"), m.plan());
    }
    if (m.entry() != null) {
      entry(o.name("entry"), m.entry());
    }
    o.num("pid", m.pid());
    o.str("message", m.message());
    o.close();
    return b.toString();
  }

  private static void plan(StringBuilder b, InitPlan p) {
    Obj o = new Obj(b, false);
    o.str("containerId", p.containerId());
    if (p.spec() == null) {
      o.nul("spec");
    } else {
      spec(o.name("spec"), p.spec());
    }
    o.features("features", p.features());
    o.str("rootfs", p.rootfs());
    o.str("overlayLower", p.overlayLower());
    o.str("overlayUpper", p.overlayUpper());
    o.str("overlayWork", p.overlayWork());
    o.str("ptySlave", p.ptySlave());
    o.str("hostname", p.hostname());
    o.num("uid", p.uid());
    o.num("gid", p.gid());
    o.strings("capabilities", p.capabilities());
    o.num("capLastCap", p.capLastCap());
    o.str("workdir", p.workdir());
    o.bool("execMode", p.execMode());
    o.num("targetPid", p.targetPid());
    FilterPlan f = p.seccomp();
    if (f == null) {
      o.nul("seccomp");
    } else {
      Obj fo = new Obj(o.name("seccomp"), false);
      fo.str("summary", f.summary());
      if (f.program() == null) {
        fo.nul("program");
      } else {
        StringBuilder a = fo.name("program").append('[');
        for (int k = 0; k < f.program().length; k++) {
          a.append(k == 0 ? "" : ",").append(f.program()[k]);
        }
        a.append(']');
      }
      fo.close();
    }
    o.close();
  }

  private static void spec(StringBuilder b, RunSpec s) {
    Obj o = new Obj(b, true);
    o.str("image", s.image());
    o.strings("argv", s.argv());
    if (s.env() != null) {
      Obj env = new Obj(o.name("env"), false);
      for (Map.Entry<String, String> e : s.env().entrySet()) {
        env.str(e.getKey(), e.getValue());
      }
      env.close();
    }
    o.str("workdir", s.workdir());
    o.bool("tty", s.tty());
    o.num("cols", s.cols());
    o.num("rows", s.rows());
    o.num("level", s.level());
    o.features("features", s.features());
    if (s.limits() != null) {
      limits(o.name("limits"), s.limits());
    }
    o.str("user", s.user());
    o.str("hostname", s.hostname());
    o.str("name", s.name());
    o.bool("rm", s.rm());
    o.strings("capAdd", s.capAdd());
    o.strings("capDrop", s.capDrop());
    o.str("network", s.network());
    o.close();
  }

  private static void limits(StringBuilder b, Limits l) {
    Obj o = new Obj(b, true);
    o.num("memoryBytes", l.memoryBytes());
    o.num("memorySwapBytes", l.memorySwapBytes());
    o.num("cpuShares", l.cpuShares());
    if (l.cpus() != null) {
      if (!Double.isFinite(l.cpus())) {
        throw new IllegalArgumentException("cpus " + l.cpus() + " has no JSON number");
      }
      o.name("cpus").append(l.cpus());
    }
    o.num("pidsMax", l.pidsMax());
    o.num("memorySoftBytes", l.memorySoftBytes());
    o.num("memorySwappiness", l.memorySwappiness());
    o.bool("oomKillDisable", l.oomKillDisable());
    o.bool("oomGroup", l.oomGroup());
    o.num("kernelMemoryBytes", l.kernelMemoryBytes());
    o.close();
  }

  private static void entry(StringBuilder b, StepEntry e) {
    Obj o = new Obj(b, true);
    o.num("seq", e.seq());
    o.str("step", e.step());
    o.str("stage", e.stage());
    o.str("call", e.call());
    o.str("args", e.args());
    o.bool("ok", e.ok());
    o.str("result", e.result());
    o.str("errno", e.errno());
    o.str("message", e.message());
    o.str("explanation", e.explanation());
    o.num("durationNanos", e.durationNanos());
    o.close();
  }

  /** One JSON object being written; {@code skipNulls}: a null component is left out. */
  private static final class Obj {
    private final StringBuilder b;
    private final boolean skipNulls;
    private boolean first = true;

    Obj(StringBuilder b, boolean skipNulls) {
      this.b = b;
      this.skipNulls = skipNulls;
      b.append('{');
    }

    /** Writes {@code "name":} and returns the builder for its value. */
    StringBuilder name(String name) {
      b.append(first ? "" : ",");
      first = false;
      JsonText.quote(b, name);
      return b.append(':');
    }

    void nul(String name) {
      if (!skipNulls) {
        name(name).append("null");
      }
    }

    void str(String name, String v) {
      if (v == null) {
        nul(name);
      } else {
        JsonText.quote(name(name), v);
      }
    }

    void num(String name, Number v) {
      if (v == null) {
        nul(name);
      } else {
        name(name).append(v.longValue());
      }
    }

    void bool(String name, Boolean v) {
      if (v == null) {
        nul(name);
      } else {
        name(name).append(v.booleanValue());
      }
    }

    void strings(String name, Collection<String> v) {
      if (v == null) {
        nul(name);
        return;
      }
      StringBuilder a = name(name).append('[');
      boolean firstItem = true;
      for (String s : v) {
        a.append(firstItem ? "" : ",");
        firstItem = false;
        if (s == null) {
          a.append("null");
        } else {
          JsonText.quote(a, s);
        }
      }
      a.append(']');
    }

    void features(String name, Set<Feature> v) {
      if (v == null) {
        nul(name);
        return;
      }
      List<String> names = new ArrayList<>(v.size());
      for (Feature f : v) {
        names.add(f.wireName());
      }
      strings(name, names);
    }

    void close() {
      b.append('}');
    }
  }

  /**
   * The message in {@code text}.
   *
   * @throws IOException when it is not JSON, not an object with a type, or a field has the wrong
   *     type (the message names the field)
   */
  public static InitMessage decode(String text) throws IOException {
    Object v;
    try {
      v = JsonText.parse(text);
    } catch (IOException e) {
      throw new IOException("init channel: " + e.getMessage(), e);
    }
    Fields m = Fields.of(v, "message");
    String type = m.str("type");
    if (type == null) {
      throw new IOException("init channel: a message without a type");
    }
    return new InitMessage(
        type,
        m.str("token"),
        m.has("plan") ? plan(m.obj("plan")) : null,
        m.has("entry") ? entry(m.obj("entry")) : null,
        m.boxedLong("pid"),
        m.str("message"));
  }

  private static InitPlan plan(Fields p) throws IOException {
    if (p == null) {
      return null;
    }
    Fields f = p.obj("seccomp");
    return InitPlan.builder()
        .containerId(p.str("containerId"))
        .spec(spec(p.obj("spec")))
        .features(p.features("features"))
        .rootfs(p.str("rootfs"))
        .overlayLower(p.str("overlayLower"))
        .overlayUpper(p.str("overlayUpper"))
        .overlayWork(p.str("overlayWork"))
        .ptySlave(p.str("ptySlave"))
        .hostname(p.str("hostname"))
        .uid(p.boxedInt("uid"))
        .gid(p.boxedInt("gid"))
        .capabilities(p.strings("capabilities"))
        .capLastCap(p.integer("capLastCap"))
        .workdir(p.str("workdir"))
        .execMode(p.bool("execMode"))
        .targetPid(p.longValue("targetPid"))
        .seccomp(f == null ? null : new FilterPlan(f.str("summary"), f.longs("program")))
        .build();
  }

  private static RunSpec spec(Fields s) throws IOException {
    if (s == null) {
      return null;
    }
    Fields l = s.obj("limits");
    return RunSpec.builder()
        .image(s.str("image"))
        .argv(s.strings("argv"))
        .env(s.stringMap("env"))
        .workdir(s.str("workdir"))
        .tty(s.bool("tty"))
        .cols(s.boxedInt("cols"))
        .rows(s.boxedInt("rows"))
        .level(s.boxedInt("level"))
        .features(s.features("features"))
        .limits(
            l == null
                ? null
                : new Limits(
                    l.boxedLong("memoryBytes"),
                    l.boxedLong("memorySwapBytes"),
                    l.boxedInt("cpuShares"),
                    l.boxedDouble("cpus"),
                    l.boxedInt("pidsMax"),
                    l.boxedLong("memorySoftBytes"),
                    l.boxedInt("memorySwappiness"),
                    l.boxedBool("oomKillDisable"),
                    l.boxedBool("oomGroup"),
                    l.boxedLong("kernelMemoryBytes")))
        .user(s.str("user"))
        .hostname(s.str("hostname"))
        .name(s.str("name"))
        .rm(s.bool("rm"))
        .capAdd(s.strings("capAdd"))
        .capDrop(s.strings("capDrop"))
        .network(s.str("network"))
        .build();
  }

  private static StepEntry entry(Fields e) throws IOException {
    if (e == null) {
      return null;
    }
    return StepEntry.builder()
        .seq(e.integer("seq"))
        .step(e.str("step"))
        .stage(e.str("stage"))
        .call(e.str("call"))
        .args(e.str("args"))
        .ok(e.bool("ok"))
        .result(e.str("result"))
        .errno(e.str("errno"))
        .message(e.str("message"))
        .explanation(e.str("explanation"))
        .durationNanos(e.longValue("durationNanos"))
        .build();
  }

  /**
   * A JSON object's fields, read by name and type; {@code path} names it in errors. A missing field
   * and {@code null} are alike: null, or 0 / false for a primitive component (as Jackson binds).
   */
  private record Fields(Map<?, ?> map, String path) {

    static Fields of(Object v, String path) throws IOException {
      if (v instanceof Map<?, ?> m) {
        return new Fields(m, path);
      }
      throw wrong(path, "an object", v);
    }

    boolean has(String name) {
      return map.get(name) != null;
    }

    private static IOException wrong(String path, String expected, Object got) {
      return new IOException(
          "init channel: " + path + ": expected " + expected + ", got " + kind(got));
    }

    private static String kind(Object v) {
      if (v instanceof Map) {
        return "an object";
      }
      if (v instanceof List) {
        return "an array";
      }
      if (v instanceof String) {
        return "a string";
      }
      if (v instanceof Boolean) {
        return "a boolean";
      }
      if (v instanceof Long || v instanceof Double) {
        return "the number " + JsonText.abbreviate(v.toString());
      }
      return "null";
    }

    private String at(String name) {
      return path + "." + name;
    }

    Fields obj(String name) throws IOException {
      Object v = map.get(name);
      return v == null ? null : of(v, at(name));
    }

    String str(String name) throws IOException {
      return string(map.get(name), at(name));
    }

    private static String string(Object v, String path) throws IOException {
      if (v == null || v instanceof String) {
        return (String) v;
      }
      throw wrong(path, "a string", v);
    }

    Boolean boxedBool(String name) throws IOException {
      Object v = map.get(name);
      if (v == null || v instanceof Boolean) {
        return (Boolean) v;
      }
      throw wrong(at(name), "a boolean", v);
    }

    boolean bool(String name) throws IOException {
      return Boolean.TRUE.equals(boxedBool(name));
    }

    Long boxedLong(String name) throws IOException {
      return integral(map.get(name), at(name), Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
    }

    long longValue(String name) throws IOException {
      Long v = boxedLong(name);
      return v == null ? 0 : v;
    }

    Integer boxedInt(String name) throws IOException {
      Long v = integral(map.get(name), at(name), Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
      return v == null ? null : v.intValue();
    }

    int integer(String name) throws IOException {
      Integer v = boxedInt(name);
      return v == null ? 0 : v;
    }

    private static Long integral(Object v, String path, long min, long max, String expected)
        throws IOException {
      if (v == null) {
        return null;
      }
      if (v instanceof Long n && n >= min && n <= max) {
        return n;
      }
      throw wrong(path, expected, v);
    }

    Double boxedDouble(String name) throws IOException {
      Object v = map.get(name);
      if (v == null) {
        return null;
      }
      if (v instanceof Long n) {
        return n.doubleValue();
      }
      if (v instanceof Double d) {
        return d;
      }
      throw wrong(at(name), "a number", v);
    }

    private List<?> array(String name) throws IOException {
      Object v = map.get(name);
      if (v == null || v instanceof List) {
        return (List<?>) v;
      }
      throw wrong(at(name), "an array", v);
    }

    List<String> strings(String name) throws IOException {
      List<?> a = array(name);
      if (a == null) {
        return null;
      }
      List<String> out = new ArrayList<>(a.size());
      for (int k = 0; k < a.size(); k++) {
        out.add(string(a.get(k), at(name) + "[" + k + "]"));
      }
      return out;
    }

    long[] longs(String name) throws IOException {
      List<?> a = array(name);
      if (a == null) {
        return null;
      }
      long[] out = new long[a.size()];
      for (int k = 0; k < out.length; k++) {
        Long v =
            integral(
                a.get(k), at(name) + "[" + k + "]", Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
        if (v == null) {
          throw wrong(at(name) + "[" + k + "]", "an integer", null);
        }
        out[k] = v;
      }
      return out;
    }

    Set<Feature> features(String name) throws IOException {
      List<String> names = strings(name);
      if (names == null) {
        return null;
      }
      Set<Feature> out = EnumSet.noneOf(Feature.class);
      for (int k = 0; k < names.size(); k++) {
        String n = names.get(k);
        Feature f = null;
        for (Feature c : Feature.values()) {
          if (c.wireName().equals(n)) {
            f = c;
          }
        }
        if (f == null) {
          throw new IOException(
              "init channel: "
                  + at(name)
                  + "["
                  + k
                  + "]: unknown feature "
                  + (n == null ? "null" : "'" + JsonText.abbreviate(n) + "'"));
        }
        out.add(f);
      }
      return out;
    }

    Map<String, String> stringMap(String name) throws IOException {
      Fields o = obj(name);
      if (o == null) {
        return null;
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : o.map.entrySet()) {
        String k = (String) e.getKey();
        out.put(k, string(e.getValue(), o.path + "." + k));
      }
      return out;
    }
  }
}
