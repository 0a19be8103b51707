package org.glasshouse.helper.linux;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C library every binding of this package calls: the process's own (JNA opens {@code "c"} as
 * {@code dlopen(NULL)}, the libc the JVM already runs on), opened without JNA's library-path probe.
 *
 * <p>Why the probe matters: {@code NativeLibrary}'s static initializer, unless the system property
 * {@code jna.platform.library.path} is set, starts {@code /sbin/ldconfig -p} (a child process and a
 * reaper thread, ~600 lines parsed by a JVM still interpreting) to learn the directories in which
 * to look for libraries by name, and it does so in every JVM that loads any library, an init JVM
 * per container included (issue 16). Those directories serve only a library found by name on a
 * path; libc is never looked for, so this sets the property, empty, before JNA's library class is
 * first initialized. A library opened by name later still falls back to {@code dlopen}'s own search
 * ({@code ld.so.cache}, the file {@code ldconfig -p} prints). A value set on the command line is
 * kept.
 */
final class ProcessLibc {
  private ProcessLibc() {}

  /** The property that, once set, stops {@code NativeLibrary} from running ldconfig. */
  static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

  /** The process's C library, for {@code Native.register} and global variables. */
  static NativeLibrary library() {
    if (System.getProperty(PLATFORM_LIBRARY_PATH) == null) {
      System.setProperty(PLATFORM_LIBRARY_PATH, "");
    }
    return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
  }
}
