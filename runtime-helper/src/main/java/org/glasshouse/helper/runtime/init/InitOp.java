package org.glasshouse.helper.runtime.init;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.SockFilter;
import org.glasshouse.protocol.StepEntry;

/**
 * One op of the native init's op list (issue 16): the call {@code glasshouse-init} makes, and
 * everything the helper needs to turn its answer into the step entry the JVM init would have sent —
 * its step, its {@link Call} text, its explanation and result texts never leave Java. Recorded by
 * {@link OpRecorder}; written as one line by {@link #line()} (the format is in the executor's
 * source, runtime-helper/src/main/c/glasshouse-init.c).
 */
public final class InitOp {

  /** A seccomp program as an op argument. */
  record Filter(List<SockFilter> program) {}

  private final String name;
  private final List<Object> args;
  private final String step;
  private final Call call;
  private final String explanation;
  int slot = -1;
  int tolerated;
  int skipOk;
  int skipTolerated;
  String okResult = "0";
  String toleratedResult;
  String refusal;

  InitOp(String name, List<Object> args, String step, Call call, String explanation) {
    this.name = name;
    this.args = args;
    this.step = step;
    this.call = call;
    this.explanation = explanation;
  }

  /** The executor's name of the op ({@code mount}, {@code ready}). */
  public String name() {
    return name;
  }

  /** Whether the op makes a step entry (the sync points ready, roots, go make none). */
  public boolean logged() {
    return step != null;
  }

  /** The step it belongs to ({@code pivot-root}); null for a sync point. */
  public String step() {
    return step;
  }

  /** The call as the step log shows it. */
  public Call call() {
    return call;
  }

  /** The op as one line of the op list (without its newline). */
  public String line() {
    StringBuilder b = new StringBuilder(name);
    b.append(' ').append(slot).append(' ').append(tolerated);
    b.append(' ').append(skipOk).append(' ').append(skipTolerated);
    for (Object a : args) {
      b.append(' ');
      if (a == null) {
        b.append('~');
      } else if (a instanceof Number n) {
        b.append(n.longValue());
      } else if (a instanceof String s) {
        str(b, s);
      } else if (a instanceof Filter f) {
        b.append(f.program().size());
        for (SockFilter i : f.program()) {
          b.append(' ').append(i.code()).append(' ').append(i.jt()).append(' ').append(i.jf());
          b.append(' ').append(Integer.toUnsignedLong(i.k()));
        }
      } else if (a instanceof List<?> l) {
        b.append(l.size());
        for (Object s : l) {
          b.append(' ');
          str(b, (String) s);
        }
      } else {
        throw new IllegalArgumentException("an op argument of " + a.getClass());
      }
    }
    return b.toString();
  }

  /** A string argument: ' then its UTF-8 bytes, each <= 0x20, >= 0x7f and % written %XX. */
  static void str(StringBuilder b, String s) {
    b.append('\'');
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if (u <= 0x20 || u >= 0x7f || u == '%') {
        b.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)));
        b.append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
      } else {
        b.append((char) u);
      }
    }
  }

  /**
   * A string the executor sent: the inverse of {@link #str}.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static String unstring(String token) {
    if (token.isEmpty() || token.charAt(0) != '\'') {
      throw new IllegalArgumentException("not a string: " + token);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 1; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '%') {
        int v = i + 2 < token.length() ? HexFormat.fromHexDigits(token, i + 1, i + 3) : -1;
        if (v < 0) {
          throw new IllegalArgumentException("a bad %-escape: " + token);
        }
        out.write(v);
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The op's entry when the kernel answered as expected ({@code ok}) with its duration. */
  public StepEntry ok(long nanos) {
    return entry().ok(true).result(okResult).durationNanos(nanos).build();
  }

  /** The op's entry when its call failed with the errno it takes as an answer. */
  public StepEntry tolerated(long nanos) {
    return entry().ok(true).result(toleratedResult).durationNanos(nanos).build();
  }

  /**
   * The op's entry when its call failed: the JVM init's entry of the same failure ({@code
   * strerror}'s text from the executor, which has the same C library's).
   */
  public StepEntry failed(int errno, String message, long nanos) {
    return entry()
        .ok(false)
        .result("-1")
        .errno(Errno.name(errno))
        .message(message)
        .explanation(explanation)
        .durationNanos(nanos)
        .build();
  }

  /** The entry of the helper's refusal (the op list ends with it). */
  public StepEntry refused() {
    return entry()
        .ok(false)
        .result("-1")
        .message(refusal)
        .explanation(explanation)
        .durationNanos(0)
        .build();
  }

  /**
   * The call of the op that starts the command ({@code execve}, or {@code spawn}: posix_spawn into
   * a PID namespace), with the path the executor found for the command.
   */
  public Call commandAt(String path) {
    @SuppressWarnings("unchecked")
    List<String> argv = (List<String>) args.get(2);
    @SuppressWarnings("unchecked")
    List<String> envp = (List<String>) args.get(3);
    return spawns() ? Call.posixSpawn(path, argv, envp) : Call.execve(path, argv, envp);
  }

  /** Whether this op spawns the command (and the init stays its parent) rather than exec it. */
  public boolean spawns() {
    return name.equals("spawn");
  }

  private StepEntry.Builder entry() {
    return StepEntry.builder().step(step).stage("init").call(call.name()).args(call.args());
  }

  /** Every op's line, then {@code end}: the whole op list as the executor reads it. */
  public static String list(List<InitOp> ops) {
    List<String> lines = new ArrayList<>();
    for (InitOp o : ops) {
      lines.add(o.line());
    }
    lines.add("end");
    return String.join("\n", lines) + "\n";
  }

  @Override
  public String toString() {
    return line();
  }
}
