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

  /**
   * The canonical constructor is the one JSON binds to. Code builds a spec by name ({@link
   * #builder}): with seventeen components, several of them Strings, a positional call would compile
   * with two of them swapped ({@code NamedConstructionTest} forbids it outside this type).
   */
  @JsonCreator
  public RunSpec {}

  /** A builder with every field unset (level 0, no tty, not removed). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .image(image)
        .argv(argv)
        .env(env)
        .workdir(workdir)
        .tty(tty)
        .cols(cols)
        .rows(rows)
        .level(level)
        .features(features)
        .limits(limits)
        .user(user)
        .hostname(hostname)
        .name(name)
        .rm(rm)
        .capAdd(capAdd)
        .capDrop(capDrop)
        .network(network);
  }

  /** Whether the spec asks for the bridge. */
  public boolean bridged() {
    return NETWORK_BRIDGE.equals(network);
  }

  /** This spec with another name (the helper names a container the client left unnamed). */
  public RunSpec withName(String newName) {
    return toBuilder().name(newName).build();
  }

  /** Builds a {@link RunSpec} field by field; each setter is named after the component it sets. */
  public static final class Builder {
    private String image;
    private List<String> argv;
    private Map<String, String> env;
    private String workdir;
    private boolean tty;
    private Integer cols;
    private Integer rows;
    private Integer level;
    private Set<Feature> features;
    private Limits limits;
    private String user;
    private String hostname;
    private String name;
    private boolean rm;
    private List<String> capAdd;
    private List<String> capDrop;
    private String network;

    private Builder() {}

    /** {@link RunSpec#image}. */
    public Builder image(String image) {
      this.image = image;
      return this;
    }

    /** {@link RunSpec#argv}. */
    public Builder argv(List<String> argv) {
      this.argv = argv;
      return this;
    }

    /** {@link RunSpec#argv}, given word by word. */
    public Builder argv(String... argv) {
      return argv(List.of(argv));
    }

    /** {@link RunSpec#env}. */
    public Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    /** {@link RunSpec#workdir}. */
    public Builder workdir(String workdir) {
      this.workdir = workdir;
      return this;
    }

    /** {@link RunSpec#tty}. */
    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    /** {@link RunSpec#cols}. */
    public Builder cols(Integer cols) {
      this.cols = cols;
      return this;
    }

    /** {@link RunSpec#rows}. */
    public Builder rows(Integer rows) {
      this.rows = rows;
      return this;
    }

    /** {@link RunSpec#level}. */
    public Builder level(Integer level) {
      this.level = level;
      return this;
    }

    /** {@link RunSpec#features}. */
    public Builder features(Set<Feature> features) {
      this.features = features;
      return this;
    }

    /** {@link RunSpec#limits}. */
    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    /** {@link RunSpec#user}. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** {@link RunSpec#hostname}. */
    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    /** {@link RunSpec#name}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** {@link RunSpec#rm}. */
    public Builder rm(boolean rm) {
      this.rm = rm;
      return this;
    }

    /** {@link RunSpec#capAdd}. */
    public Builder capAdd(List<String> capAdd) {
      this.capAdd = capAdd;
      return this;
    }

    /** {@link RunSpec#capDrop}. */
    public Builder capDrop(List<String> capDrop) {
      this.capDrop = capDrop;
      return this;
    }

    /** {@link RunSpec#network}. */
    public Builder network(String network) {
      this.network = network;
      return this;
    }

    /** The spec. */
    public RunSpec build() {
      return new RunSpec(
          image, argv, env, workdir, tty, cols, rows, level, features, limits, user, hostname, name,
          rm, capAdd, capDrop, network);
    }
  }
}
