package org.glasshouse.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client asks the helper to run: the body of the {@code run} op.
 *
 * <p>{@code features}, when present, is the exact set of steps (free play); otherwise {@code level}
 * selects every feature up to it ({@link Feature#upTo}); with neither, level 0.
 *
 * @param image image name ({@code busybox}); required from level 01 on
 * @param argv the command and its arguments; argv[0] is looked up in the container's PATH
 * @param env environment of the command, exactly as given (no host variables leak in)
 * @param workdir working directory inside the container (default {@code /}, level 00: the helper's
 *     state dir for the container)
 * @param tty allocate a pty: stdin/stdout/stderr of the command are its slave side
 * @param cols initial terminal width when {@code tty}
 * @param rows initial terminal height when {@code tty}
 * @param level 0..13
 * @param features explicit feature set (free play); overrides {@code level}
 * @param limits cgroup limits
 * @param user {@code uid[:gid]} to run as (level 10)
 * @param hostname hostname inside the UTS namespace (default: the container id)
 * @param name optional unique human name (the helper picks one when it is null)
 * @param rm remove the container once it has exited
 * @param capAdd capability names added to the default set (level 11), e.g. {@code CAP_NET_ADMIN}
 * @param capDrop capability names dropped from the default set
 * @param network {@code "bridge"}: a veth pair to the helper's bridge, an address and a default
 *     route (level 07's bonus; needs the {@code net-ns} feature); null or {@code "none"}: the
 *     namespace keeps only its loopback
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSpec(
    String image,
    List<String> argv,
    Map<String, String> env,
    String workdir,
    boolean tty,
    Integer cols,
    Integer rows,
    Integer level,
    Set<Feature> features,
    Limits limits,
    String user,
    String hostname,
    String name,
    boolean rm,
    List<String> capAdd,
    List<String> capDrop,
    String network) {

  /** {@link #network} value: wired to the helper's bridge. */
  public static final String NETWORK_BRIDGE = "bridge";

  /** {@link #network} value: only the namespace's loopback (the default). */
  public static final String NETWORK_NONE = "none";

  /** The canonical constructor is the one JSON binds to. */
  @JsonCreator
  public RunSpec {}

  /** A spec without the network option (only the namespace's loopback). */
  public RunSpec(
      String image,
      List<String> argv,
      Map<String, String> env,
      String workdir,
      boolean tty,
      Integer cols,
      Integer rows,
      Integer level,
      Set<Feature> features,
      Limits limits,
      String user,
      String hostname,
      String name,
      boolean rm,
      List<String> capAdd,
      List<String> capDrop) {
    this(
        image, argv, env, workdir, tty, cols, rows, level, features, limits, user, hostname, name,
        rm, capAdd, capDrop, null);
  }

  /** Whether the spec asks for the bridge. */
  public boolean bridged() {
    return NETWORK_BRIDGE.equals(network);
  }

  /** This spec with another name (the helper names a container the client left unnamed). */
  public RunSpec withName(String newName) {
    return new RunSpec(
        image, argv, env, workdir, tty, cols, rows, level, features, limits, user, hostname,
        newName, rm, capAdd, capDrop, network);
  }
}
