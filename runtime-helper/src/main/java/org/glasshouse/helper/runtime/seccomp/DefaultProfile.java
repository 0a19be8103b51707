package org.glasshouse.helper.runtime.seccomp;

import static org.glasshouse.helper.runtime.seccomp.Action.ALLOW;
import static org.glasshouse.helper.runtime.seccomp.Action.ENOSYS;
import static org.glasshouse.helper.runtime.seccomp.Action.EPERM;
import static org.glasshouse.helper.runtime.seccomp.Action.KILL_PROCESS;
import static org.glasshouse.helper.runtime.seccomp.Rule.Condition.anyBitOf;
import static org.glasshouse.helper.runtime.seccomp.Rule.Condition.equalTo;
import static org.glasshouse.helper.runtime.seccomp.Rule.Condition.maskedEqualTo;

import java.util.EnumMap;
import java.util.Map;

/**
 * Level 13's filter, in the spirit of Docker's default profile: an ALLOW-list. Every syscall a
 * normal program needs is allowed by name; everything else fails with EPERM; a number this
 * profile's tables do not know fails with ENOSYS; a call through another ABI kills the process.
 *
 * <p>Why an allow-list and not a list of dangerous calls: a deny-list fails open. Each kernel
 * release adds syscalls, and the dangerous ones came that way: io_uring (5.1; its operations never
 * pass through seccomp at all), the new mount API (5.2: fsopen, fsmount, move_mount — mounting
 * without {@code mount(2)}), clone3 (5.3). A deny-list written before them allows all of them on
 * the day the host's kernel is upgraded; an allow-list denies them until someone has read them and
 * decided. The cost is that a legitimate new call fails until it is added — and that is why unknown
 * numbers get ENOSYS, not EPERM: ENOSYS is what the kernel itself answers for a syscall it does not
 * have, and C libraries answer ENOSYS by falling back to an older call (runc does the same).
 *
 * <p>The denied syscalls are listed too, each group with its reason, although the default would
 * deny them anyway: the list is what a student reads, and a test checks that every syscall of both
 * architectures' tables is decided here, so a table refreshed for a newer kernel cannot slip a new
 * call past review.
 *
 * <p>Docker allows a few calls again when a capability is added ({@code --cap-add SYS_ADMIN} lets
 * mount through); this profile does not: at level 13 the capability set is the fixed default.
 */
public final class DefaultProfile {
  private DefaultProfile() {}

  /** Every namespace a clone() flag can create (linux/sched.h): NEWNS … NEWNET. */
  static final int CLONE_NAMESPACES = 0x7E020000;

  /** unshare() can also make a time namespace; for clone() the same bit is part of CSIGNAL. */
  static final int CLONE_NEWTIME = 0x00000080;

  /** AF_VSOCK: sockets to the hypervisor the machine runs in. */
  static final int AF_VSOCK = 40;

  /** The file-type bits of a mode, and the two that make device nodes. */
  static final int S_IFMT = 0170000;

  static final int S_IFCHR = 0020000;
  static final int S_IFBLK = 0060000;

  /** The profile. */
  public static final Profile PROFILE = build();

  private static final Map<Arch, Program> COMPILED = new EnumMap<>(Arch.class);

  /** The profile compiled for {@code arch}, once per JVM. */
  public static synchronized Program program(Arch arch) {
    return COMPILED.computeIfAbsent(arch, a -> FilterCompiler.compile(PROFILE, a));
  }

  private static Profile build() {
    Profile.Builder p = new Profile.Builder("glasshouse-default", EPERM, ENOSYS, KILL_PROCESS);
    allowed(p);
    conditional(p);
    denied(p);
    return p.build();
  }

  private static void allowed(Profile.Builder p) {
    p.each(
        ALLOW,
        "files: open, read, write, seek, stat, sync and close",
        "read write open openat openat2 creat close close_range stat fstat lstat "
            + "newfstatat statx statfs fstatfs lseek pread64 pwrite64 readv writev preadv "
            + "pwritev preadv2 pwritev2 access faccessat faccessat2 dup dup2 dup3 fcntl flock "
            + "fsync fdatasync sync syncfs sync_file_range truncate ftruncate fallocate "
            + "readahead fadvise64 sendfile splice tee vmsplice copy_file_range cachestat "
            + "getdents getdents64 getcwd chdir fchdir");
    p.each(
        ALLOW,
        "names in directories: create, rename, link, remove",
        "mkdir mkdirat rmdir rename renameat renameat2 link linkat unlink unlinkat "
            + "symlink symlinkat readlink readlinkat");
    p.each(
        ALLOW,
        "file metadata: modes, owners, times, attributes; the kernel still checks ownership and"
            + " CAP_CHOWN/CAP_FOWNER",
        "chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat umask utime "
            + "utimes utimensat futimesat setxattr lsetxattr fsetxattr getxattr lgetxattr "
            + "fgetxattr listxattr llistxattr flistxattr removexattr lremovexattr "
            + "fremovexattr setxattrat getxattrat listxattrat removexattrat file_getattr "
            + "file_setattr");
    p.each(
        ALLOW,
        "the process's own memory",
        "brk mmap munmap mremap mprotect msync mincore madvise mlock mlock2 munlock "
            + "mlockall munlockall remap_file_pages memfd_create memfd_secret membarrier "
            + "pkey_alloc pkey_free pkey_mprotect map_shadow_stack mseal");
    p.each(
        ALLOW,
        "processes and threads: fork, exec, wait, exit (clone and clone3 have rules below)",
        "fork vfork execve execveat exit exit_group wait4 waitid set_tid_address "
            + "set_robust_list get_robust_list rseq arch_prctl set_thread_area "
            + "get_thread_area restart_syscall");
    p.each(
        ALLOW,
        "signals, to processes the kernel lets us signal (our user, or CAP_KILL inside our PID"
            + " namespace)",
        "kill tkill tgkill rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending "
            + "rt_sigtimedwait rt_sigqueueinfo rt_tgsigqueueinfo rt_sigsuspend sigaltstack "
            + "pause signalfd signalfd4 pidfd_open pidfd_send_signal process_mrelease");
    p.each(
        ALLOW,
        "identity: read ids and capabilities, change them as far as the capabilities left allow",
        "getpid getppid gettid getuid geteuid getgid getegid getresuid getresgid "
            + "getgroups setuid setgid setreuid setregid setresuid setresgid setfsuid "
            + "setfsgid setgroups capget capset getpgid getpgrp setpgid getsid setsid");
    p.each(
        ALLOW,
        "time: read the clocks, sleep, timers (setting a clock is denied below)",
        "time gettimeofday clock_gettime clock_getres clock_nanosleep nanosleep alarm "
            + "getitimer setitimer timer_create timer_settime timer_gettime timer_getoverrun "
            + "timer_delete timerfd_create timerfd_settime timerfd_gettime times");
    p.each(
        ALLOW,
        "waiting for events",
        "poll select pselect6 ppoll epoll_create epoll_create1 epoll_ctl epoll_wait "
            + "epoll_pwait epoll_pwait2 eventfd eventfd2 inotify_init inotify_init1 "
            + "inotify_add_watch inotify_rm_watch futex futex_waitv futex_wake futex_wait "
            + "futex_requeue");
    p.each(
        ALLOW,
        "pipes, sockets, System V and POSIX IPC, inside the container's own network and IPC"
            + " namespaces (socket has a rule below)",
        "pipe pipe2 socketpair bind listen accept accept4 connect shutdown sendto "
            + "recvfrom sendmsg recvmsg sendmmsg recvmmsg getsockname getpeername setsockopt "
            + "getsockopt msgget msgsnd msgrcv msgctl semget semop semtimedop semctl shmget "
            + "shmat shmdt shmctl mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify "
            + "mq_getsetattr");
    p.each(
        ALLOW,
        "classic asynchronous I/O (io_uring is denied below)",
        "io_setup io_destroy io_submit io_cancel io_getevents io_pgetevents");
    p.each(
        ALLOW,
        "scheduling and resource limits; raising a priority or a hard limit still needs its"
            + " capability",
        "sched_yield sched_setparam sched_getparam sched_setscheduler "
            + "sched_getscheduler sched_get_priority_max sched_get_priority_min "
            + "sched_rr_get_interval sched_setaffinity sched_getaffinity sched_setattr "
            + "sched_getattr getpriority setpriority ioprio_get ioprio_set getrlimit "
            + "setrlimit prlimit64 getrusage getcpu uname sysinfo getrandom");
    p.each(
        ALLOW,
        "the files the container has open (ioctl) and the process's own attributes (prctl)",
        "ioctl prctl");
    p.each(
        ALLOW,
        "restricting oneself further: another seccomp filter on top of this one, Landlock",
        "seccomp landlock_create_ruleset landlock_add_rule landlock_restrict_self");
    p.each(
        ALLOW,
        "chroot: CAP_SYS_CHROOT is in the default set, and after pivot_root there is nothing"
            + " above the root to climb to (level 03)",
        "chroot");
  }

  private static void conditional(Profile.Builder p) {
    p.rule(
        "clone",
        "fork and threads, but no new namespace: a new user namespace makes its creator root"
            + " with every capability inside it, and opens the kernel's namespaced code to it",
        ALLOW,
        new Rule.Case(anyBitOf(0, CLONE_NAMESPACES), EPERM));
    p.rule(
        "unshare",
        "unshare of files or fs info, but no namespace (unshare -U fails here, works at 12)",
        ALLOW,
        new Rule.Case(anyBitOf(0, CLONE_NAMESPACES | CLONE_NEWTIME), EPERM));
    p.each(
        ENOSYS,
        "clone3 takes its flags in a struct in memory, which a filter cannot read: ENOSYS makes"
            + " the C library fall back to clone, whose flags the rule above checks",
        "clone3");
    p.rule(
        "personality",
        "only the personas Docker allows (Linux, 32-bit uname, uname 2.6, the query); never"
            + " ADDR_NO_RANDOMIZE or READ_IMPLIES_EXEC, which switch off exploit mitigations",
        EPERM,
        new Rule.Case(equalTo(0, 0x0), ALLOW),
        new Rule.Case(equalTo(0, 0x8), ALLOW),
        new Rule.Case(equalTo(0, 0x20000), ALLOW),
        new Rule.Case(equalTo(0, 0x20008), ALLOW),
        new Rule.Case(equalTo(0, 0xffffffff), ALLOW));
    p.rule(
        "socket",
        "every address family but AF_VSOCK, which talks to the hypervisor outside the machine",
        ALLOW,
        new Rule.Case(equalTo(0, AF_VSOCK), EPERM));
    p.rule(
        "mknod",
        "FIFOs and sockets, but no device node: a node of the host's disk is raw access to it",
        ALLOW,
        new Rule.Case(maskedEqualTo(1, S_IFMT, S_IFCHR), EPERM),
        new Rule.Case(maskedEqualTo(1, S_IFMT, S_IFBLK), EPERM));
    p.rule(
        "mknodat",
        "as mknod, its mode one argument later",
        ALLOW,
        new Rule.Case(maskedEqualTo(2, S_IFMT, S_IFCHR), EPERM),
        new Rule.Case(maskedEqualTo(2, S_IFMT, S_IFBLK), EPERM));
  }

  private static void denied(Profile.Builder p) {
    p.each(
        EPERM,
        "namespaces: joining one leaves the container; listing them shows the host's",
        "setns listns");
    p.each(
        EPERM,
        "mounting: the mount API is where container escapes start; a container that must mount"
            + " is not level 13's case",
        "mount umount2 pivot_root move_mount open_tree open_tree_attr fsopen fsconfig "
            + "fsmount fspick mount_setattr statmount listmount");
    p.each(
        EPERM,
        "file handles: open_by_handle_at opens any inode of a filesystem by number, past every"
            + " mount and chroot (the 2014 'shocker' escape); name_to_handle_at makes them",
        "name_to_handle_at open_by_handle_at");
    p.each(
        EPERM,
        "kernel modules: code loaded into the host's kernel",
        "init_module finit_module delete_module create_module query_module " + "get_kernel_syms");
    p.each(
        EPERM, "rebooting the host or replacing its kernel", "reboot kexec_load kexec_file_load");
    p.each(
        EPERM,
        "setting the clocks, which are the host's",
        "settimeofday clock_settime clock_adjtime adjtimex");
    p.each(
        EPERM,
        "kernel keyrings: not namespaced, so other containers' and the host's keys are one call"
            + " away",
        "keyctl add_key request_key");
    p.each(
        EPERM,
        "eBPF and performance counters: they load code into the kernel or read from it",
        "bpf perf_event_open");
    p.each(
        EPERM,
        "other processes' memory and file descriptors",
        "ptrace process_vm_readv process_vm_writev process_madvise pidfd_getfd kcmp");
    p.each(
        EPERM,
        "userfaultfd: pauses the kernel on a page fault, the usual way to win a race in a kernel"
            + " exploit",
        "userfaultfd");
    p.each(
        EPERM,
        "io_uring: its operations run in the kernel without passing through this filter, and its"
            + " record of bugs made Docker and Android drop it",
        "io_uring_setup io_uring_enter io_uring_register");
    p.each(
        EPERM,
        "host administration: swap, process accounting, quotas, the kernel log, terminal hangup",
        "swapon swapoff acct quotactl quotactl_fd syslog vhangup");
    p.each(
        EPERM,
        "the hostname and domain name: the runtime sets them once (level 05)",
        "sethostname setdomainname");
    p.each(EPERM, "fanotify: watches whole filesystems and mounts", "fanotify_init fanotify_mark");
    p.each(
        EPERM,
        "memory placement on the host's NUMA nodes (Docker: only with CAP_SYS_NICE)",
        "mbind set_mempolicy get_mempolicy migrate_pages move_pages " + "set_mempolicy_home_node");
    p.each(
        EPERM,
        "hardware I/O ports and the x86 local descriptor table (16-bit code)",
        "iopl ioperm modify_ldt");
    p.each(
        EPERM,
        "security-module attributes of the process",
        "lsm_get_self_attr lsm_set_self_attr lsm_list_modules");
    p.each(
        EPERM,
        "uprobes: entered only from trampolines the kernel writes into traced programs",
        "uprobe uretprobe");
    p.each(
        EPERM,
        "obsolete or never implemented",
        "_sysctl uselib ustat sysfs nfsservctl getpmsg putpmsg afs_syscall tuxcall "
            + "security vserver lookup_dcookie epoll_ctl_old epoll_wait_old");
  }
}
