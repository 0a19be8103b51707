package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One process as {@code /proc/PID/status} and {@code /proc/PID/cmdline} describe it.
 *
 * @param pid host pid
 * @param nsPids the NSpid chain: the pid in each pid namespace from the host's down to its own (the
 *     last one is the pid as the process itself sees it)
 * @param ppid parent's host pid
 * @param name the command name (comm)
 * @param cmdline argv; empty for kernel threads and zombies
 * @param state one letter (R S D Z T …)
 * @param stateName the word after it (running, sleeping …)
 * @param uids real, effective, saved, filesystem uid
 * @param gids real, effective, saved, filesystem gid
 * @param threads number of threads
 * @param capabilities per set (inheritable, permitted, effective, bounding, ambient): names without
 *     {@code CAP_}, lower case
 * @param capabilityMasks per set: the raw hexadecimal mask
 * @param noNewPrivs the no_new_privs bit
 * @param seccomp 0 disabled, 1 strict, 2 filter
 * @param seccompMode the word for {@link #seccomp}
 * @param seccompFilters how many filters are attached ({@code Seccomp_filters:}, Linux 5.9); null
 *     when the kernel does not say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProcessInfo(
    long pid,
    List<Long> nsPids,
    long ppid,
    String name,
    List<String> cmdline,
    String state,
    String stateName,
    List<Long> uids,
    List<Long> gids,
    int threads,
    Map<String, List<String>> capabilities,
    Map<String, String> capabilityMasks,
    boolean noNewPrivs,
    int seccomp,
    String seccompMode,
    Integer seccompFilters) {}
