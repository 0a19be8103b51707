package org.glasshouse.helper.linux;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Syscalls} that sends each call first to the real wrappers over a libc that refuses
 * everything ({@link FailingLibc}), keeping the {@link SyscallException} they throw, and then to a
 * {@link RecordingSyscalls}, whose answer it returns: the caller's ladder runs to the end, and
 * {@link #takeErrors} tells the texts the calls made since the last take would fail with on the
 * real kernel. For tests that hold a step log's entries to their errors.
 */
public final class ErrorProbe {
  private final Syscalls failing = FailingLibc.syscalls();
  private final RecordingSyscalls recording = new RecordingSyscalls();
  private final List<String> errors = new ArrayList<>();

  /** The probing seam. */
  public Syscalls syscalls() {
    return (Syscalls)
        Proxy.newProxyInstance(
            Syscalls.class.getClassLoader(),
            new Class<?>[] {Syscalls.class},
            (proxy, m, args) -> {
              if (m.getDeclaringClass() == Syscalls.class) {
                try {
                  m.invoke(failing, args);
                } catch (InvocationTargetException e) {
                  if (e.getCause() instanceof SyscallException s) {
                    synchronized (errors) {
                      errors.add(s.call() + "(" + s.args() + ")");
                    }
                  }
                }
              }
              try {
                return m.invoke(recording, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /**
   * The error texts, {@code name(args)}, of the calls made since the last take, in order; a call
   * that cannot fail adds none.
   */
  public List<String> takeErrors() {
    synchronized (errors) {
      List<String> out = List.copyOf(errors);
      errors.clear();
      return out;
    }
  }
}
