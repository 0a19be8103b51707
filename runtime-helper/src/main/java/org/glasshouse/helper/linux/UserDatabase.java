package org.glasshouse.helper.linux;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Arrays;
import java.util.Optional;

/**
 * The system's user database through the C library ({@code getpwuid_r}, {@code getgrouplist},
 * {@code getgrnam_r}): NSS sources (LDAP, systemd-homed) count as well as {@code /etc/passwd}, and
 * no process is spawned for a lookup. Thread-safe (the reentrant calls, a buffer per call).
 */
public final class UserDatabase {

  /** libc's user and group lookups; they return an error number instead of setting errno. */
  interface LibC extends Library {
    int getpwuid_r(int uid, Pointer pwd, Pointer buf, NativeLong buflen, PointerByReference result);

    int getgrnam_r(
        String name, Pointer grp, Pointer buf, NativeLong buflen, PointerByReference result);

    int getgrouplist(String user, int group, int[] groups, IntByReference ngroups);
  }

  private static final LibC LIBC = Native.load("c", LibC.class);
  private static final int ERANGE = 34;
  private static final int MAX_BUFFER = 1 << 20;
  private static final int MAX_GROUPS = 65536;

  // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos;
  // char *pw_dir; char *pw_shell; } and struct group { char *gr_name; char *gr_passwd; gid_t
  // gr_gid; char **gr_mem; } on the 64-bit ABIs this helper runs on.
  private static final int PASSWD_SIZE = 48;
  private static final int PW_GID = 20;
  private static final int GROUP_SIZE = 32;
  private static final int GR_GID = 16;

  /** A uid's passwd entry, as much as the helper needs of it. */
  private record Entry(String name, int gid) {}

  private Optional<Entry> passwd(int uid) {
    for (int size = 1024; size <= MAX_BUFFER; size *= 4) {
      Memory pwd = new Memory(PASSWD_SIZE);
      Memory buf = new Memory(size);
      PointerByReference result = new PointerByReference();
      int err = LIBC.getpwuid_r(uid, pwd, buf, new NativeLong(size), result);
      if (err == ERANGE) {
        continue;
      }
      if (err != 0 || result.getValue() == null) {
        return Optional.empty();
      }
      return Optional.of(new Entry(pwd.getPointer(0).getString(0), pwd.getInt(PW_GID)));
    }
    return Optional.empty();
  }

  /** The primary gid of a uid, when the database knows the uid. */
  public Optional<Integer> primaryGid(int uid) {
    return passwd(uid).map(Entry::gid);
  }

  /**
   * Every group of a uid — its primary group and the supplementary groups the database gives its
   * user — or none when the database does not know the uid. The uid's name is only the key to ask
   * {@code getgrouplist} with; it is never turned back into a uid.
   */
  public int[] groupsOf(int uid) {
    Optional<Entry> e = passwd(uid);
    if (e.isEmpty()) {
      return new int[0];
    }
    int n = 32;
    while (n <= MAX_GROUPS) {
      int[] groups = new int[n];
      IntByReference count = new IntByReference(n);
      int r = LIBC.getgrouplist(e.get().name(), e.get().gid(), groups, count);
      if (r >= 0) {
        return Arrays.copyOf(groups, count.getValue());
      }
      // Too small: count now says how many there are.
      n = Math.max(n * 2, count.getValue());
    }
    return new int[] {e.get().gid()};
  }

  /** The gid of a group name, when the database knows it. */
  public Optional<Integer> gidOf(String group) {
    for (int size = 1024; size <= MAX_BUFFER; size *= 4) {
      Memory grp = new Memory(GROUP_SIZE);
      Memory buf = new Memory(size);
      PointerByReference result = new PointerByReference();
      int err = LIBC.getgrnam_r(group, grp, buf, new NativeLong(size), result);
      if (err == ERANGE) {
        continue;
      }
      if (err != 0 || result.getValue() == null) {
        return Optional.empty();
      }
      return Optional.of(grp.getInt(GR_GID));
    }
    return Optional.empty();
  }
}
