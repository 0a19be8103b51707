package org.glasshouse.helper.runtime.seccomp;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.SockFilter;

/**
 * A compiled filter as the init stage receives it in its plan. The helper compiles the profile
 * once, warm; the init is a fresh JVM in which the same compilation would cost tens of milliseconds
 * of class loading and interpretation on the start's critical path, and loading a finished program
 * costs nothing.
 *
 * @param summary the program's one-line {@link Program#summary()}, for the step log
 * @param program the instructions, each packed into a long as {@code code << 48 | jt << 40 | jf <<
 *     32 | k}: compact on the init channel and quick to read
 */
public record FilterPlan(String summary, long[] program) {

  /** Packs {@code p}. */
  public static FilterPlan of(Program p) {
    long[] words = new long[p.length()];
    for (int i = 0; i < words.length; i++) {
      SockFilter f = p.instructions().get(i);
      words[i] =
          ((long) f.code() << 48)
              | ((long) f.jt() << 40)
              | ((long) f.jf() << 32)
              | Integer.toUnsignedLong(f.k());
    }
    return new FilterPlan(p.summary(), words);
  }

  /** The instructions, unpacked. */
  public List<SockFilter> instructions() {
    List<SockFilter> out = new ArrayList<>(program.length);
    for (long w : program) {
      out.add(
          new SockFilter(
              (int) (w >>> 48) & 0xffff,
              (int) (w >>> 40) & 0xff,
              (int) (w >>> 32) & 0xff,
              (int) w));
    }
    return out;
  }
}
