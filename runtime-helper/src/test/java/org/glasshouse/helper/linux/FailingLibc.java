package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * {@link JnaSyscalls} over a libc and an fd-relative layer whose every call fails with EPERM: each
 * wrapper then throws the {@link SyscallException} it would throw on the real kernel, with the text
 * it would put in it, and nothing reaches the kernel. For tests that hold that text against the
 * step log's.
 */
public final class FailingLibc {
  private FailingLibc() {}

  /** The errno every call fails with. */
  public static final int EPERM = 1;

  /** The real seam's wrappers over a libc that refuses everything. */
  public static Syscalls syscalls() {
    JnaSyscalls.LibC libc =
        (JnaSyscalls.LibC)
            Proxy.newProxyInstance(
                JnaSyscalls.LibC.class.getClassLoader(),
                new Class<?>[] {JnaSyscalls.LibC.class},
                (proxy, m, args) -> libcCall(m, proxy));
    FsCalls fs =
        (FsCalls)
            Proxy.newProxyInstance(
                FsCalls.class.getClassLoader(),
                new Class<?>[] {FsCalls.class},
                (proxy, m, args) -> {
                  if (m.getDeclaringClass() == Object.class) {
                    return objectMethod(m, proxy);
                  }
                  throw new SyscallException(
                      m.getName(), "…", EPERM, "EPERM", "Operation not permitted");
                });
    return new JnaSyscalls(libc, fs);
  }

  private static Object libcCall(Method m, Object proxy) {
    if (m.getDeclaringClass() == Object.class) {
      return objectMethod(m, proxy);
    }
    if (Arrays.asList(m.getExceptionTypes()).contains(LastErrorException.class)) {
      throw new LastErrorException(EPERM);
    }
    // The calls that report an error number instead of errno (posix_spawn and its set-up), and
    // the ones that cannot fail: only posix_spawn itself refuses, so the wrapper reaches it.
    return switch (m.getName()) {
      case "posix_spawn" -> EPERM;
      case "strerror" -> "Operation not permitted";
      case "signal" -> null;
      case "getpid" -> 4242;
      default -> 0;
    };
  }

  private static Object objectMethod(Method m, Object proxy) {
    return switch (m.getName()) {
      case "toString" -> "failing " + proxy.getClass().getInterfaces()[0].getSimpleName();
      case "hashCode" -> System.identityHashCode(proxy);
      default -> false;
    };
  }
}
