package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Who the ids a container's processes run as are: the names of its uids and gids in the container's
 * own {@code /etc/passwd} and {@code /etc/group} (the files its processes see) next to the host's.
 * A uid is only a number to the kernel; the two files may name it differently, or not at all.
 *
 * @param users one per uid its processes use (real, effective, saved, filesystem), ascending
 * @param groups one per gid, ascending
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Accounts(List<Account> users, List<Account> groups) {

  /**
   * One id and its names.
   *
   * @param id the uid or gid
   * @param name its name in the container's file, null when the file has none for it (or there is
   *     no such file)
   * @param hostName its name in the host's file, null when none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Account(long id, String name, String hostName) {}
}
