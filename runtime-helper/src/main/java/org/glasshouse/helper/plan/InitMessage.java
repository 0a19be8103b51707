package org.glasshouse.helper.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.glasshouse.protocol.StepEntry;

/**
 * One line on the helper ↔ init channel (JSON Lines over a Unix socket in the helper's state dir),
 * written and read by {@link InitCodec} on both sides: the init JVM loads no Jackson. Its
 * {@code @JsonInclude} says how Jackson would write it, which the codec's text matches.
 *
 * <pre>
 * init   → helper  {"type":"hello","token":"…"}           first line, the one-time token
 * helper → init    {"type":"plan","plan":{…}}
 * init   → helper  {"type":"step","entry":{…}}            one per step, as it happens
 * init   → helper  {"type":"ready","pid":1234}            namespaces, mounts, root, hostname done
 * helper → init    {"type":"go"}                          the init is in its cgroups
 * init   → helper  {"type":"exec","entry":{…}}            about to execve: the entry without result
 *                  … then end of stream: execve succeeded (the socket was close-on-exec)
 * init   → helper  {"type":"spawned","pid":1240}          exec with a PID namespace: the command
 *                  was spawned into it (pid as the host sees it); then end of stream
 * init   → helper  {"type":"failed","message":"…"}        a step failed; the init exits
 * </pre>
 *
 * @param type one of hello, plan, step, ready, go, exec, spawned, failed
 * @param token the one-time token (hello)
 * @param plan the plan (plan)
 * @param entry a step entry (step, exec)
 * @param pid the init's pid (ready); the spawned command's pid as the host sees it (spawned)
 * @param message what failed (failed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InitMessage(
    String type, String token, InitPlan plan, StepEntry entry, Long pid, String message) {

  /** A message with only a type. */
  public static InitMessage of(String type) {
    return new InitMessage(type, null, null, null, null, null);
  }
}
