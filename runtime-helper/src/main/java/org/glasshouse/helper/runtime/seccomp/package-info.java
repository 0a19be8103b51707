/**
 * Level 13: seccomp. A profile as data ({@link
 * org.glasshouse.helper.runtime.seccomp.DefaultProfile}), a compiler that turns it into a classic
 * BPF program per architecture ({@link org.glasshouse.helper.runtime.seccomp.FilterCompiler},
 * {@link org.glasshouse.helper.runtime.seccomp.Assembler}); the init stage loads the program
 * through {@link org.glasshouse.helper.linux.Syscalls#seccompFilter} as its last step before
 * execve.
 */
package org.glasshouse.helper.runtime.seccomp;
